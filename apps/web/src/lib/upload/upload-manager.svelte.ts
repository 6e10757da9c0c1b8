import type { UploadStatusEvent } from '@tonearm/contracts';
import { ApiRequestError, errorMessage } from '../api/api-error.ts';
import type { ApiClient } from '../api/api-client.ts';
import { looksLikeAudio } from './audio-files.ts';
import { sha256Hex } from './file-hash.ts';
import { partsToSend } from './part-plan.ts';
import { putPart } from './part-request.ts';
import { ResumeStore } from './resume-store.ts';
import { taskLimiter } from './task-limiter.ts';
import { UploadStatusFeed } from './upload-status-feed.svelte.ts';
import { bytesSent, overallProgress } from './upload-progress.ts';
import { advance, applyStatus, isFinal, type UploadPhase } from './upload-status.ts';

/** One file on the upload page. */
export interface UploadItem {
  key: string;
  name: string;
  size: number;
  phase: UploadPhase;
  /** Bytes the storage has taken. */
  sent: number;
  /** Bytes hashed while checking. */
  hashed: number;
  resumed: boolean;
  trackId?: string;
  uploadId?: string;
  reason?: string;
  percent?: number;
  title?: string;
  duplicateOf?: string;
}

/** Files hashed and uploaded at once, and part requests at once across all of them. */
const fileConcurrency = 2;
const partConcurrency = 4;

let nextKey = 0;

/**
 * The upload page's state and work: hashes each dropped file, skips what is already in the
 * library (409), resumes a session kept for the same file, sends parts in parallel with bounded
 * concurrency, completes, and follows the pushed status of each track on
 * `GET /api/uploads/events` until it is ready or failed.
 */
export class UploadManager {
  items = $state<UploadItem[]>([]);
  /** False while the live status stream is down (it reconnects on its own). */
  get live(): boolean {
    return this.#feed.live;
  }

  #api: ApiClient;
  #store: ResumeStore | undefined;
  #files = new Map<string, File>();
  #controllers = new Map<string, AbortController>();
  #fileLimiter = taskLimiter(fileConcurrency);
  #partLimiter = taskLimiter(partConcurrency);
  /** Statuses pushed for tracks not matched to a file yet (the push can beat the answer that names the track). */
  #early = new Map<string, UploadStatusEvent[]>();
  #feed: UploadStatusFeed;

  constructor(api: ApiClient, storage?: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>) {
    this.#api = api;
    this.#feed = new UploadStatusFeed(api, (event) => this.#apply(event));
    this.#store = storage ? new ResumeStore(storage) : undefined;
  }

  /** Overall progress of the bytes to send. */
  get overall() {
    return overallProgress(
      this.items.map((item) => ({ size: item.size, sent: item.phase === 'duplicate' ? item.size : item.sent })),
    );
  }

  /** Adds files (from a drop or the pickers): audio ones are queued, the rest counted as skipped. */
  add(files: readonly File[]): { added: number; skipped: number } {
    let added = 0;
    for (const file of files) {
      if (!looksLikeAudio({ name: file.name, type: file.type })) continue;
      const key = `file-${++nextKey}`;
      this.#files.set(key, file);
      this.items.push({
        key,
        name: file.webkitRelativePath || file.name,
        size: file.size,
        phase: 'queued',
        sent: 0,
        hashed: 0,
        resumed: false,
      });
      added += 1;
      void this.#fileLimiter.run(() => this.#upload(key));
    }
    return { added, skipped: files.length - added };
  }

  /** Cancels a file still uploading: its session is aborted on the server and forgotten here. */
  async cancel(key: string): Promise<void> {
    const item = this.#item(key);
    if (!item || !cancellable(item.phase)) return;
    this.#controllers.get(key)?.abort();
    item.phase = 'cancelled';
    const file = this.#files.get(key);
    if (file) this.#store?.forget(file);
    if (item.uploadId) {
      try {
        await this.#api.abortUpload(item.uploadId);
      } catch (error) {
        item.reason = `Cancelled here, but the server said: ${errorMessage(error)}`;
      }
    }
  }

  /** Removes the files that are done from the list. */
  clearFinished(): void {
    this.items = this.items.filter((item) => !isFinal(item.phase));
  }

  /** Opens the pushed status stream of the caller's uploads, reconnecting after a loss until {@link disconnect}. */
  connect(): void {
    this.#feed.connect();
  }

  /** Closes the status stream and stops what is in flight (the sessions stay resumable). */
  disconnect(): void {
    this.#feed.disconnect();
    for (const controller of this.#controllers.values()) controller.abort();
  }

  #apply(event: UploadStatusEvent): void {
    const item = this.items.find((candidate) => candidate.trackId === event.trackId);
    if (!item) {
      const early = this.#early.get(event.trackId) ?? [];
      early.push(event);
      this.#early.set(event.trackId, early);
      return;
    }
    Object.assign(item, applyStatus(item, event));
  }

  #item(key: string): UploadItem | undefined {
    return this.items.find((item) => item.key === key);
  }

  #matchTrack(item: UploadItem, trackId: string): void {
    item.trackId = trackId;
    for (const event of this.#early.get(trackId) ?? []) Object.assign(item, applyStatus(item, event));
    this.#early.delete(trackId);
  }

  async #upload(key: string): Promise<void> {
    const item = this.#item(key);
    const file = this.#files.get(key);
    if (!item || !file || item.phase !== 'queued') return;
    const controller = new AbortController();
    this.#controllers.set(key, controller);
    const { signal } = controller;
    try {
      item.phase = 'hashing';
      const sha256 = await sha256Hex(file, (read) => (item.hashed = read), signal);
      if (signal.aborted) return;
      item.phase = 'uploading';
      const session = await this.#session(item, file, sha256);
      if (!session) return;
      if (signal.aborted) {
        // Cancelled while the session was being opened: cancel() had no upload to abort yet.
        this.#store?.forget(file);
        await this.#api.abortUpload(session.uploadId).catch(() => undefined);
        return;
      }
      await this.#sendParts(item, file, session, signal);
      if (signal.aborted) return;
      item.phase = 'completing';
      // The storage's ETags come from the server's part list: a cross-origin PUT may not expose them.
      const state = await this.#api.getUpload(session.uploadId);
      const parts = state.parts.map(({ partNumber, etag }) => ({ partNumber, etag }));
      await this.#api.completeUpload(session.uploadId, parts);
      this.#store?.forget(file);
      item.phase = advance(item.phase, 'processing');
    } catch (error) {
      if (signal.aborted) return;
      this.#refused(item, file, error);
    } finally {
      this.#controllers.delete(key);
    }
  }

  /** A resumed session when one is kept for this file and still open, else a new one; undefined when refused. */
  async #session(item: UploadItem, file: File, sha256: string) {
    const kept = this.#store?.get(file);
    if (kept && kept.sha256 === sha256) {
      const state = await this.#api.getUpload(kept.uploadId).catch(() => undefined);
      if (state?.status === 'uploading') {
        item.resumed = true;
        item.uploadId = state.uploadId;
        this.#matchTrack(item, state.trackId);
        return {
          uploadId: state.uploadId,
          partSize: state.partSize,
          urls: state.missingParts,
          received: state.parts,
        };
      }
      this.#store?.forget(file);
    }
    const created = await this.#api.createUpload({
      filename: file.name,
      size: file.size,
      contentType: file.type || undefined,
      sha256,
    });
    item.uploadId = created.uploadId;
    this.#matchTrack(item, created.trackId);
    this.#store?.put(file, {
      uploadId: created.uploadId,
      trackId: created.trackId,
      partSize: created.partSize,
      sha256,
    });
    return { uploadId: created.uploadId, partSize: created.partSize, urls: created.parts, received: [] };
  }

  async #sendParts(
    item: UploadItem,
    file: File,
    session: {
      partSize: number;
      urls: { partNumber: number; url: string }[];
      received: { partNumber: number; size: number }[];
    },
    signal: AbortSignal,
  ): Promise<void> {
    const finished: Record<number, number> = {};
    for (const part of session.received) finished[part.partNumber] = part.size;
    const inFlight: Record<number, number> = {};
    const update = () => (item.sent = bytesSent(file.size, finished, inFlight));
    update();
    const parts = partsToSend(
      file.size,
      session.partSize,
      session.urls,
      session.received.map((part) => part.partNumber),
    );
    await Promise.all(
      parts.map((part) =>
        this.#partLimiter.run(async () => {
          signal.throwIfAborted();
          await putPart(
            part.url,
            file.slice(part.start, part.end),
            (sent) => {
              inFlight[part.partNumber] = sent;
              update();
            },
            signal,
          );
          finished[part.partNumber] = part.end - part.start;
          update();
        }),
      ),
    );
  }

  #refused(item: UploadItem, file: File, error: unknown): void {
    const duplicateOf = (error as ApiRequestError).details as { trackId?: string } | undefined;
    if (error instanceof ApiRequestError && error.code === 'conflict' && duplicateOf?.trackId) {
      item.phase = 'duplicate';
      item.duplicateOf = duplicateOf.trackId;
      item.reason = 'Already in your library';
      this.#store?.forget(file);
      return;
    }
    item.phase = 'failed';
    item.reason = errorMessage(error);
  }
}

/** Whether a file can still be cancelled: before its upload was completed. */
export function cancellable(phase: UploadPhase): boolean {
  return phase === 'queued' || phase === 'hashing' || phase === 'uploading';
}
