import type { PlaybackResponse } from '@tonearm/contracts';

/** A playback URL is reused only while it has at least this long left, so a track started on it does not stop soon after. */
export const reuseMarginMs = 2 * 60_000;
/**
 * A playback URL is reused for at most this long after it arrived: long enough to cover a pointer
 * resting on a button before the click, short enough that a track starts with its token nearly
 * as fresh as a URL asked for on the click (native HLS has no way to renew a token mid-track).
 */
export const reuseForMs = 60_000;
/** How many tracks' URLs are kept: enough for a pointer running down a list, small enough to forget quickly. */
export const keptUrls = 16;

interface Entry {
  answer: Promise<PlaybackResponse>;
  /** The URL's end in epoch milliseconds, known once it arrived. */
  expiresAt: number | null;
  /** When it arrived (epoch milliseconds). */
  receivedAt: number | null;
}

/**
 * The playback URLs asked for, by track: the one asked for on intent (a pointer or focus on a
 * play button) is the one the click then plays, with no second request. Requests in flight are
 * shared; a failed one is forgotten at once; a URL close to its end is asked for again.
 * @example
 * const urls = new PlaybackUrls((id) => api.playback(id));
 * void urls.get(track.id); // on pointerenter
 * const { masterUrl } = await urls.get(track.id); // on click: the same answer
 */
export class PlaybackUrls {
  #entries = new Map<string, Entry>();
  #request: (trackId: string) => Promise<PlaybackResponse>;
  #now: () => number;

  constructor(request: (trackId: string) => Promise<PlaybackResponse>, now: () => number = Date.now) {
    this.#request = request;
    this.#now = now;
  }

  /**
   * The track's playback URL: the kept one while it is at most {@link reuseForMs} old and has
   * {@link reuseMarginMs} left, otherwise a new one.
   */
  get(trackId: string): Promise<PlaybackResponse> {
    const kept = this.#entries.get(trackId);
    const now = this.#now();
    if (kept && (kept.receivedAt === null || this.#fresh(kept, now))) {
      // Most recently used last, so the oldest is the one dropped when full.
      this.#entries.delete(trackId);
      this.#entries.set(trackId, kept);
      return kept.answer;
    }
    const entry: Entry = { answer: this.#request(trackId), expiresAt: null, receivedAt: null };
    this.#entries.delete(trackId);
    this.#entries.set(trackId, entry);
    while (this.#entries.size > keptUrls) this.#entries.delete(this.#entries.keys().next().value!);
    entry.answer.then(
      (answer) => {
        const expiresAt = Date.parse(answer.expiresAt);
        entry.expiresAt = Number.isFinite(expiresAt) ? expiresAt : 0;
        entry.receivedAt = this.#now();
      },
      () => {
        if (this.#entries.get(trackId) === entry) this.#entries.delete(trackId);
      },
    );
    return entry.answer;
  }

  #fresh(entry: Entry, now: number): boolean {
    return now - entry.receivedAt! <= reuseForMs && entry.expiresAt! - now > reuseMarginMs;
  }

  /** Drops the track's URL (the media refused it: expired, or the session ended), so the next {@link get} asks anew. */
  forget(trackId: string): void {
    this.#entries.delete(trackId);
  }

  /** Drops every URL (on sign out). */
  clear(): void {
    this.#entries.clear();
  }
}
