import type { Bus } from '@tonearm/bus';
import { objectKeys, type EventData } from '@tonearm/contracts';
import { runWithContext, type Logger } from '@tonearm/runtime';
import type { ObjectStore } from '@tonearm/storage';
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AudioProbeAdapter } from '../adapters/audio-probe.adapter.ts';
import { sniffAudio, SNIFF_BYTES, type SniffResult } from '../adapters/content-sniffer.ts';
import type { FileTags, TagReaderAdapter } from '../adapters/tag-reader.adapter.ts';
import type { SessionOutcome, UploadSessionRow } from '../database/schema.ts';
import type { UploadSessionRepository } from '../repositories/upload-session.repository.ts';
import { mergeTags } from './filename-tags.ts';

/** A check that ends the upload for good, with a reason written for the person who uploaded. */
export class UploadRefusal extends Error {
  readonly duplicateOf: string | undefined;

  constructor(reason: string, duplicateOf?: string) {
    super(reason);
    this.name = 'UploadRefusal';
    this.duplicateOf = duplicateOf;
  }
}

/** What the completion service needs. */
export interface UploadCompletionDeps {
  bus: Bus;
  store: ObjectStore;
  sessions: UploadSessionRepository;
  probe: AudioProbeAdapter;
  tags: TagReaderAdapter;
  logger: Logger;
  workDir: string;
  /** Checks running at once in this instance (default 2). */
  concurrency?: number;
  /**
   * Attempts of a check that fails for a passing reason (S3, Postgres down) before it waits for the
   * sweeper (default 10: waits of 0.5 s doubling to 30 s, about two minutes in all, so a short outage
   * delays an upload by seconds, not by a sweep interval).
   */
  attempts?: number;
}

const NO_TAGS: Omit<FileTags, 'cover'> = {
  title: null,
  artist: null,
  album: null,
  albumArtist: null,
  trackNumber: null,
  discNumber: null,
  year: null,
  genre: null,
};

async function readAll(body: AsyncIterable<unknown>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * Checks an assembled upload and announces the result. In order: the object is there with the
 * declared size, its first bytes are audio (magic bytes), its SHA-256 (streamed to a work file),
 * ffprobe finds an audio stream, it is not a duplicate of the owner's content, then its tags and
 * cover are read and `ingest.upload.completed.v1` is published. A refusal deletes what was stored
 * and publishes `ingest.upload.failed.v1`. The outcome event is written to the session first and
 * published after, so it is never lost.
 *
 * @example
 * completion.start(session); // returns at once; `idle()` waits for running checks
 */
export class UploadCompletionService {
  private readonly deps: UploadCompletionDeps;
  private readonly running = new Map<string, Promise<void>>();
  private readonly waiting: (() => void)[] = [];
  private active = 0;

  constructor(deps: UploadCompletionDeps) {
    this.deps = deps;
  }

  /**
   * Runs the check of a session in the background, in the upload's correlation context, at most
   * `concurrency` at once (each copies its file to the work directory). A session already being
   * checked here is not started twice.
   */
  start(session: UploadSessionRow): void {
    if (this.running.has(session.uploadId)) return;
    const job = runWithContext({ correlationId: session.correlationId }, async () => {
      await this.slot();
      try {
        await this.deps.sessions.touch(session.uploadId);
        await this.run(session);
      } finally {
        this.release();
      }
    })
      .catch((err: unknown) => this.deps.logger.error({ err, uploadId: session.uploadId }, 'upload check crashed'))
      .finally(() => this.running.delete(session.uploadId));
    this.running.set(session.uploadId, job);
  }

  /** Resolves when every check started so far has finished. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running.values()]);
  }

  private async slot(): Promise<void> {
    if (this.active < (this.deps.concurrency ?? 2)) {
      this.active++;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active--;
  }

  /**
   * Publishes an outcome already decided, and records it published. A bus that cannot take it
   * (NATS restarting) is tried again with the same waits as a check; the event id stays the same,
   * so a publish that did land before an error is not stored twice. After the last attempt the
   * outcome stays recorded as unpublished and the sweeper sends it.
   */
  async publishOutcome(session: UploadSessionRow, outcome: SessionOutcome): Promise<void> {
    await this.retrying('publishing the outcome', this.deps.logger, () =>
      this.deps.bus.publish(outcome.type, {
        id: session.eventId,
        correlationId: session.correlationId,
        data: outcome.data as never,
      }),
    );
    await this.deps.sessions.markPublished(session.uploadId);
  }

  private async retrying<T>(what: string, logger: Logger, work: () => Promise<T>): Promise<T> {
    const attempts = this.deps.attempts ?? 10;
    for (let attempt = 1; ; attempt++) {
      try {
        return await work();
      } catch (error) {
        if (attempt >= attempts) throw error;
        logger.warn({ err: error, attempt }, `${what} failed, retrying`);
        await sleep(Math.min(30_000, 500 * 2 ** (attempt - 1)));
      }
    }
  }

  /**
   * Refuses a session for good: removes its objects, records the reason and publishes
   * `ingest.upload.failed.v1`. Answers false when the session was no longer in one of `from`.
   */
  async refuse(
    session: UploadSessionRow,
    reason: string,
    options: { duplicateOf?: string; from?: UploadSessionRow['status'][] } = {},
  ): Promise<boolean> {
    await this.deps.store.deletePrefix(objectKeys.source(session.trackId));
    await this.deps.store.deletePrefix(objectKeys.cover(session.trackId));
    const outcome: SessionOutcome = {
      type: 'ingest.upload.failed.v1',
      data: {
        trackId: session.trackId,
        uploadId: session.uploadId,
        ownerId: session.ownerId,
        filename: session.filename,
        reason,
        ...(options.duplicateOf ? { duplicateOf: options.duplicateOf } : {}),
      },
    };
    const row = await this.deps.sessions.transition(session.uploadId, options.from ?? ['processing'], {
      status: 'failed',
      reason,
      duplicateOf: options.duplicateOf ?? null,
      outcome,
    });
    if (!row) return false;
    await this.publishOutcome(row, outcome);
    return true;
  }

  private async run(session: UploadSessionRow): Promise<void> {
    const logger = this.deps.logger.child({ trackId: session.trackId, uploadId: session.uploadId });
    const attempts = this.deps.attempts ?? 10;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.check(session, logger);
        return;
      } catch (error) {
        if (error instanceof UploadRefusal) {
          logger.info({ reason: error.message }, 'upload refused');
          await this.refuse(session, error.message, error.duplicateOf ? { duplicateOf: error.duplicateOf } : {}).catch(
            (err: unknown) => logger.error({ err }, 'could not record the refusal; the sweeper will check again'),
          );
          return;
        }
        if (attempt >= attempts) {
          logger.error({ err: error, attempt }, 'upload check failed; the sweeper will try again later');
          return;
        }
        logger.warn({ err: error, attempt }, 'upload check failed, retrying');
        await sleep(Math.min(30_000, 500 * 2 ** (attempt - 1)));
      }
    }
  }

  private async check(session: UploadSessionRow, logger: Logger): Promise<void> {
    const { store, sessions } = this.deps;
    const key = objectKeys.source(session.trackId);
    const head = await store.head(key);
    if (!head) throw new UploadRefusal('the uploaded file is missing from storage');
    if (head.size === 0) throw new UploadRefusal('the file is empty');
    if (head.size !== session.size) {
      throw new UploadRefusal(`size mismatch: ${session.size} bytes were declared but ${head.size} arrived`);
    }

    const sniffed = await this.sniff(key);
    if (!sniffed.ok) throw new UploadRefusal(sniffed.reason);

    const workFile = join(this.deps.workDir, `ingest-${session.uploadId}-${randomUUID()}`);
    try {
      const sha256 = await this.download(key, workFile);
      if (session.declaredSha256 && session.declaredSha256 !== sha256) {
        throw new UploadRefusal('the file changed in transit: its SHA-256 differs from the one declared');
      }
      const probed = await this.deps.probe.probe(workFile);
      if (!probed.ok) throw new UploadRefusal(probed.reason);

      const existing = await sessions.findCompletedTrack(session.ownerId, sha256);
      if (existing && existing !== session.trackId) throw duplicateOf(existing);

      let fileTags: FileTags = { ...NO_TAGS, cover: null };
      try {
        fileTags = await this.deps.tags.read(workFile);
      } catch (err) {
        logger.warn({ err }, 'tags could not be read; the file name stands in');
      }
      let cover: EventData<'ingest.upload.completed.v1'>['cover'] = null;
      if (fileTags.cover) {
        await store.put(objectKeys.cover(session.trackId), fileTags.cover.data, fileTags.cover.contentType);
        cover = { key: objectKeys.cover(session.trackId), contentType: fileTags.cover.contentType };
      }
      const outcome: SessionOutcome = {
        type: 'ingest.upload.completed.v1',
        data: {
          trackId: session.trackId,
          uploadId: session.uploadId,
          ownerId: session.ownerId,
          source: {
            key,
            filename: session.filename,
            size: head.size,
            sha256,
            contentType: sniffed.mime,
          },
          tags: mergeTags(fileTags, session.filename),
          cover,
          audio: probed.audio,
        },
      };
      const stored = await sessions.complete(session.uploadId, sha256, outcome);
      if (stored === 'duplicate') {
        throw duplicateOf((await sessions.findCompletedTrack(session.ownerId, sha256)) ?? session.trackId);
      }
      if (stored === 'not-processing') {
        const now = await sessions.find(session.uploadId);
        if (cover && now?.status !== 'completed') await store.deletePrefix(objectKeys.cover(session.trackId));
        logger.info({ status: now?.status }, 'upload was finished or removed elsewhere; nothing to publish');
        return;
      }
      await this.publishOutcome(session, outcome);
      logger.info({ sha256, size: head.size, format: probed.audio.format }, 'upload completed');
    } finally {
      await rm(workFile, { force: true });
    }
  }

  /** Sniffs the first bytes of the object. */
  private async sniff(key: string): Promise<SniffResult> {
    const object = await this.deps.store.read(key, `bytes=0-${SNIFF_BYTES - 1}`);
    if (!object) throw new UploadRefusal('the uploaded file is missing from storage');
    return sniffAudio(await readAll(object.body));
  }

  /** Streams the object to a work file, hashing it on the way; answers the SHA-256 in hex. */
  private async download(key: string, path: string): Promise<string> {
    const object = await this.deps.store.read(key);
    if (!object) throw new UploadRefusal('the uploaded file is missing from storage');
    const hash = createHash('sha256');
    await pipeline(
      object.body,
      new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          hash.update(chunk);
          callback(null, chunk);
        },
      }),
      createWriteStream(path),
    );
    return hash.digest('hex');
  }
}

function duplicateOf(trackId: string): UploadRefusal {
  return new UploadRefusal(`this file is already in your library (track ${trackId})`, trackId);
}
