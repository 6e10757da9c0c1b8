/** Events per second of each type over a sliding window, as the admin chart draws them. */
export interface RateSeries {
  /** Start of each one-second bucket (ms since the epoch), oldest first. */
  seconds: number[];
  /** Count per bucket for each event type seen in the window, types sorted by name. */
  byType: { type: string; counts: number[] }[];
  /** The largest count of one bucket, all types stacked (at least 1, so a chart can divide by it). */
  peak: number;
}

/**
 * Counts events into one-second buckets per type and forgets buckets older than the window.
 *
 * @example
 * const rate = new EventRateCounter(60);
 * rate.record('transcode.completed.v1', Date.now());
 * const { byType } = rate.series(Date.now());
 */
export class EventRateCounter {
  readonly windowSeconds: number;
  #buckets = new Map<number, Map<string, number>>();

  constructor(windowSeconds = 60) {
    if (!Number.isInteger(windowSeconds) || windowSeconds < 1) {
      throw new RangeError(`windowSeconds must be a positive integer, not ${windowSeconds}`);
    }
    this.windowSeconds = windowSeconds;
  }

  /** Counts one event of `type` at `atMs`. */
  record(type: string, atMs: number): void {
    const second = Math.floor(atMs / 1000);
    let bucket = this.#buckets.get(second);
    if (!bucket) this.#buckets.set(second, (bucket = new Map()));
    bucket.set(type, (bucket.get(type) ?? 0) + 1);
  }

  /** The window ending with the second of `nowMs`; older buckets are dropped. */
  series(nowMs: number): RateSeries {
    const last = Math.floor(nowMs / 1000);
    const first = last - this.windowSeconds + 1;
    for (const second of this.#buckets.keys()) if (second < first) this.#buckets.delete(second);
    const seconds = Array.from({ length: this.windowSeconds }, (_, i) => (first + i) * 1000);
    const types = new Set<string>();
    for (const [second, bucket] of this.#buckets) if (second <= last) for (const type of bucket.keys()) types.add(type);
    const byType = [...types].sort().map((type) => ({
      type,
      counts: seconds.map((ms) => this.#buckets.get(ms / 1000)?.get(type) ?? 0),
    }));
    let peak = 1;
    for (let i = 0; i < seconds.length; i++) {
      peak = Math.max(
        peak,
        byType.reduce((sum, { counts }) => sum + counts[i]!, 0),
      );
    }
    return { seconds, byType, peak };
  }
}
