import type { UploadStatusEvent } from '@tonearm/contracts';
import { ApiRequestError } from '../api/api-error.ts';
import type { ApiClient } from '../api/api-client.ts';
import { SseParser } from './sse-parser.ts';

/** What a follower of the caller's upload statuses hears. */
export interface UploadEventHandlers {
  /** One pushed status of one of the caller's tracks. */
  status(event: UploadStatusEvent): void;
  /** True once the subscription is live (again), false when it was lost and waits to reconnect. */
  live(live: boolean): void;
}

/** Pauses before reconnecting, growing with each failed attempt in a row. */
const reconnectDelaysMs = [1_000, 2_000, 5_000, 10_000, 30_000];

/**
 * Follows `GET /api/uploads/events` until `signal` aborts or the session is gone (401): reads the
 * Server-Sent Events with fetch (EventSource cannot send the bearer token) and reconnects with
 * growing pauses after a loss, so nothing polls.
 *
 * @example
 * void followUploadEvents(api, { status: (event) => show(event), live: (on) => (live = on) }, controller.signal);
 */
export async function followUploadEvents(
  api: Pick<ApiClient, 'uploadEvents'>,
  handlers: UploadEventHandlers,
  signal: AbortSignal,
): Promise<void> {
  for (let attempt = 0; !signal.aborted; attempt += 1) {
    try {
      const body = await api.uploadEvents({ signal });
      const parser = new SseParser();
      const decoder = new TextDecoder();
      const reader = body.getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        for (const event of parser.push(decoder.decode(value, { stream: true }))) {
          if (event.event === 'open') {
            attempt = 0;
            handlers.live(true);
          }
          if (event.event === 'status') handlers.status(JSON.parse(event.data) as UploadStatusEvent);
        }
      }
    } catch (error) {
      if (signal.aborted) return;
      if (error instanceof ApiRequestError && error.code === 'unauthorized') return;
    }
    handlers.live(false);
    const delay = reconnectDelaysMs[Math.min(attempt, reconnectDelaysMs.length - 1)]!;
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}

/**
 * The caller's pushed upload statuses as reactive state: {@link followUploadEvents} between
 * `connect()` and `disconnect()`, with `live` false while the stream is down.
 *
 * @example
 * const feed = new UploadStatusFeed(api, (event) => apply(event));
 * feed.connect();
 */
export class UploadStatusFeed {
  /** False while the live status stream is down (it reconnects on its own). */
  live = $state(false);
  #api: Pick<ApiClient, 'uploadEvents'>;
  #status: (event: UploadStatusEvent) => void;
  #stream: AbortController | undefined;

  constructor(api: Pick<ApiClient, 'uploadEvents'>, status: (event: UploadStatusEvent) => void) {
    this.#api = api;
    this.#status = status;
  }

  /** Follows the statuses until {@link disconnect}; a second call while connected does nothing. */
  connect(): void {
    if (this.#stream) return;
    this.#stream = new AbortController();
    const handlers = { status: this.#status, live: (live: boolean) => (this.live = live) };
    void followUploadEvents(this.#api, handlers, this.#stream.signal);
  }

  /** Stops following. */
  disconnect(): void {
    this.#stream?.abort();
    this.#stream = undefined;
    this.live = false;
  }
}
