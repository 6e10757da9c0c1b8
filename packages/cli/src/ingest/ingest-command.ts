import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import type { createUploadResponseSchema, Track, uploadStateSchema } from '@tonearm/contracts';
import type { z } from 'zod';
import { ApiError, type ApiClient } from '../api/api-client.ts';
import { completeUpload } from './complete-upload.ts';
import { detectMime, isSupportedAudio, readLocalTags, sha256File, walkFiles } from './file-scan.ts';
import { buildReport, type FileOutcome, type IngestReport } from './ingest-report.ts';
import { isInterruption } from './interrupt.ts';
import { createLimiter, mapLimit, partRanges } from './part-plan.ts';
import { createProgress, type Progress } from './progress-display.ts';
import { createThrottle, type Throttle } from './rate-limit.ts';
import { UploadStateFile, type FileIdentity } from './upload-state.ts';

/** What `tonearm ingest` is asked to do. */
export interface IngestOptions {
  api: ApiClient;
  paths: string[];
  concurrency: number;
  partConcurrency: number;
  wait: boolean;
  dryRun: boolean;
  configDir: string;
  /** Where progress goes (stderr with `--json`, so stdout stays the report). */
  progressStream: NodeJS.WriteStream;
  pollIntervalMs?: number;
  /** Aborted by Ctrl-C: no new file or part starts, parts in flight are aborted, sessions stay saved. */
  signal?: AbortSignal;
  /** Bytes per second all part uploads together stay under (`--limit-rate`). */
  limitRate?: number;
}

/** What one upload needs besides the file: the run's options, progress, pacing. */
interface UploadContext {
  options: IngestOptions;
  progress: Progress;
  throttle: Throttle;
}

type CreateUploadResponse = z.infer<typeof createUploadResponseSchema>;
type UploadState = z.infer<typeof uploadStateSchema>;

/** Tracks followed at once with `--wait`, each polled every `pollIntervalMs`. */
const FOLLOWERS = 8;

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });

function reasonOf(error: unknown): string {
  if (error instanceof ApiError) return `${error.message} (${error.status} ${error.code})`;
  return (error as Error).message ?? String(error);
}

async function putParts(
  file: FileIdentity,
  partSize: number,
  parts: readonly { partNumber: number; url: string }[],
  { options, progress, throttle }: UploadContext,
): Promise<{ partNumber: number; etag: string }[]> {
  const { signal } = options;
  const handle = await open(file.path, 'r');
  try {
    const ranges = partRanges(
      file.size,
      partSize,
      parts.map((part) => part.partNumber),
    );
    const sent = await mapLimit(
      ranges,
      options.partConcurrency,
      async (range) => {
        await throttle.take(range.end - range.start, signal);
        const bytes = Buffer.alloc(range.end - range.start);
        await handle.read(bytes, 0, bytes.length, range.start);
        const url = parts.find((part) => part.partNumber === range.partNumber)!.url;
        const response = await fetch(url, { method: 'PUT', body: bytes, ...(signal ? { signal } : {}) });
        await response.arrayBuffer();
        const etag = response.headers.get('etag');
        if (!response.ok || !etag)
          throw new Error(`part ${range.partNumber} was refused by storage (${response.status})`);
        progress.uploaded(file.path, bytes.length);
        return { partNumber: range.partNumber, etag };
      },
      signal,
    );
    signal?.throwIfAborted();
    return sent;
  } finally {
    await handle.close();
  }
}

/**
 * Follows a track until it is ready or failed. The catalog knows the track only once ingest has
 * checked the file, so until then the upload session tells whether the file was refused.
 */
async function followTrack(
  api: ApiClient,
  trackId: string,
  uploadId: string,
  pollIntervalMs: number,
  signal: AbortSignal | undefined,
): Promise<{ status: 'processing' | 'ready' | 'failed'; error?: string }> {
  for (;;) {
    if (signal?.aborted) return { status: 'processing' };
    try {
      const track = await api.request<Track>('GET', `/api/tracks/${trackId}`);
      if (track.status !== 'processing') return { status: track.status, error: track.error };
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 404)) throw error;
      const upload = await api.request<UploadState>('GET', `/api/uploads/${uploadId}`);
      if (upload.status === 'failed' || upload.status === 'aborted' || upload.status === 'expired') {
        return { status: 'failed', error: upload.reason ?? `upload ${upload.status}` };
      }
    }
    await sleep(pollIntervalMs, signal);
  }
}

/** Resumes the recorded session of a file when it is still open: the outcome, or undefined to start afresh. */
async function resumeUpload(
  file: FileIdentity,
  uploadId: string,
  context: UploadContext,
): Promise<{ trackId: string; uploadId: string } | undefined> {
  const { api } = context.options;
  let state: UploadState;
  try {
    state = await api.request<UploadState>('GET', `/api/uploads/${uploadId}`);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return undefined;
    throw error;
  }
  if (state.status === 'processing' || state.status === 'completed') return { trackId: state.trackId, uploadId };
  if (state.status !== 'uploading' || state.size !== file.size) return undefined;
  context.progress.uploaded(
    file.path,
    state.parts.reduce((sum, part) => sum + part.size, 0),
    false,
  );
  const sent = await putParts(file, state.partSize, state.missingParts, context);
  const parts = [...state.parts.map(({ partNumber, etag }) => ({ partNumber, etag })), ...sent].sort(
    (a, b) => a.partNumber - b.partNumber,
  );
  await completeUpload(api, uploadId, parts);
  return { trackId: state.trackId, uploadId };
}

async function uploadFile(
  file: FileIdentity,
  mime: string | undefined,
  state: UploadStateFile,
  context: UploadContext,
): Promise<{ outcome: FileOutcome; uploadId?: string }> {
  const { api } = context.options;
  const recorded = state.get(file);
  if (recorded) {
    const resumed = await resumeUpload(file, recorded.uploadId, context);
    if (resumed) {
      await state.set(file, undefined);
      return {
        uploadId: resumed.uploadId,
        outcome: {
          path: file.path,
          outcome: 'ingested',
          trackId: resumed.trackId,
          status: 'processing',
          resumed: true,
        },
      };
    }
  }
  let created: CreateUploadResponse;
  try {
    created = await api.request<CreateUploadResponse>('POST', '/api/uploads', {
      body: {
        filename: basename(file.path),
        size: file.size,
        sha256: file.sha256,
        ...(mime ? { contentType: mime } : {}),
      },
    });
  } catch (error) {
    if (error instanceof ApiError && error.status === 409) {
      const trackId = (error.details as { trackId?: string } | undefined)?.trackId;
      return {
        outcome: { path: file.path, outcome: 'skipped', trackId, reason: `already in your library (track ${trackId})` },
      };
    }
    throw error;
  }
  await state.set(file, { uploadId: created.uploadId, trackId: created.trackId });
  const parts = await putParts(file, created.partSize, created.parts, context);
  await completeUpload(api, created.uploadId, parts);
  await state.set(file, undefined);
  return {
    uploadId: created.uploadId,
    outcome: { path: file.path, outcome: 'ingested', trackId: created.trackId, status: 'processing', resumed: false },
  };
}

/**
 * Walks the folders, keeps the audio (by content), hashes it, uploads what the server does not
 * have yet (files and parts in parallel), resumes sessions a previous run left open and, with
 * `wait`, follows each track until ready or failed.
 */
export async function ingestCommand(options: IngestOptions): Promise<IngestReport> {
  const { api } = options;
  const found = await walkFiles(options.paths);
  const outcomes: FileOutcome[] = [];
  const audio: (FileIdentity & { mime: string | undefined })[] = [];
  const progress = createProgress(options.progressStream);
  const { signal } = options;
  progress.line(`Scanning ${found.length} file${found.length === 1 ? '' : 's'}`);
  const scanned = new Set<string>();
  await mapLimit(
    found,
    options.concurrency,
    async (file) => {
      scanned.add(file.path);
      try {
        const mime = await detectMime(file.path);
        if (!isSupportedAudio(mime)) {
          outcomes.push({ path: file.path, outcome: 'ignored', reason: `not audio (${mime ?? 'unknown content'})` });
          return;
        }
        audio.push({ ...file, server: api.server, mime, sha256: await sha256File(file.path) });
      } catch (error) {
        outcomes.push({ path: file.path, outcome: 'failed', trackId: undefined, reason: reasonOf(error) });
      }
    },
    signal,
  );
  if (signal?.aborted) {
    const unscanned = found.filter((file) => !scanned.has(file.path)).map((file) => file.path);
    return buildReport(api.server, options.dryRun, 0, outcomes, [...audio.map((file) => file.path), ...unscanned]);
  }
  audio.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const firstOfHash = new Map<string, string>();
  const unique = audio.filter((file) => {
    const first = firstOfHash.get(file.sha256);
    if (first === undefined) {
      firstOfHash.set(file.sha256, file.path);
      return true;
    }
    outcomes.push({ path: file.path, outcome: 'skipped', trackId: undefined, reason: `same content as ${first}` });
    return false;
  });
  if (options.dryRun) {
    for (const file of unique) {
      outcomes.push({ path: file.path, outcome: 'planned', size: file.size, tags: await readLocalTags(file.path) });
    }
    return buildReport(api.server, true, 0, outcomes);
  }
  const state = new UploadStateFile(options.configDir);
  await state.load();
  progress.start(
    unique.length,
    unique.reduce((sum, file) => sum + file.size, 0),
  );
  const context: UploadContext = { options, progress, throttle: createThrottle(options.limitRate) };
  const finished = new Set<string>();
  const record = (outcome: FileOutcome) => {
    finished.add(outcome.path);
    outcomes.push(outcome);
    progress.end(outcome);
  };
  // Following a track holds no upload slot: uploads go on while earlier tracks are transcoded.
  const follow = createLimiter(FOLLOWERS);
  const following: Promise<void>[] = [];
  await mapLimit(
    unique,
    options.concurrency,
    async (file) => {
      progress.begin(file.path, file.size);
      let uploaded: Awaited<ReturnType<typeof uploadFile>>;
      try {
        uploaded = await uploadFile(file, file.mime, state, context);
      } catch (error) {
        if (!isInterruption(error, signal)) {
          record({ path: file.path, outcome: 'failed', trackId: undefined, reason: reasonOf(error) });
        }
        return;
      }
      const { outcome, uploadId } = uploaded;
      if (outcome.outcome !== 'ingested' || !uploadId || !options.wait) return record(outcome);
      progress.processing(file.path);
      following.push(
        follow(() => followTrack(api, outcome.trackId, uploadId, options.pollIntervalMs ?? 500, signal)).then(
          (track) => {
            if (track.status === 'ready') record({ ...outcome, status: 'ready' });
            else if (track.status === 'failed') {
              record({ path: file.path, outcome: 'failed', trackId: outcome.trackId, reason: track.error ?? 'failed' });
            } else record(outcome);
          },
          (error: unknown) =>
            record({ path: file.path, outcome: 'failed', trackId: outcome.trackId, reason: reasonOf(error) }),
        ),
      );
    },
    signal,
  );
  await Promise.all(following);
  progress.finish();
  const unfinished = unique.filter((file) => !finished.has(file.path)).map((file) => file.path);
  return buildReport(api.server, false, progress.uploadedBytes(), outcomes, unfinished);
}
