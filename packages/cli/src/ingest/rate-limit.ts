/**
 * Reads a byte rate as people write it: a number of bytes per second with an optional `K`, `M`
 * or `G` (binary multiples), e.g. `500K`, `2M`, `1.5M`. Anything else is an error naming the value.
 *
 * @example
 * parseByteRate('2M') // 2097152
 */
export function parseByteRate(value: string): number {
  const match = /^(\d+(?:\.\d+)?)([KMG]?)(?:i?B)?(?:\/s)?$/i.exec(value.trim());
  const multiplier = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[(match?.[2] ?? '').toUpperCase()];
  const bytes = match && multiplier ? Math.floor(Number(match[1]) * multiplier) : Number.NaN;
  if (!Number.isFinite(bytes) || bytes < 1) throw new RangeError(`"${value}" is not a byte rate like 500K or 2M`);
  return bytes;
}

/**
 * When the next chunk of `bytes` may start so that the average stays at `bytesPerSecond`: the
 * wait from `now` and the time the schedule is free again. The first chunk starts at once.
 *
 * @example
 * nextSlot(0, 1000, 500, 10_000) // { waitMs: 0, freeAt: 12_000 }
 * nextSlot(12_000, 1000, 500, 10_500) // { waitMs: 1500, freeAt: 14_000 }
 */
export function nextSlot(
  freeAt: number,
  bytes: number,
  bytesPerSecond: number,
  now: number,
): { waitMs: number; freeAt: number } {
  const start = Math.max(now, freeAt);
  return { waitMs: start - now, freeAt: start + (bytes / bytesPerSecond) * 1000 };
}

/** Paces parts shared by every upload of a run so the run stays under a byte rate. */
export interface Throttle {
  /** Resolves when `bytes` may be sent; rejects with the signal's reason when it is aborted first. */
  take(bytes: number, signal?: AbortSignal): Promise<void>;
}

/** A throttle at `bytesPerSecond`, or one that never waits when the rate is undefined. */
export function createThrottle(bytesPerSecond: number | undefined): Throttle {
  let freeAt = 0;
  return {
    async take(bytes, signal) {
      signal?.throwIfAborted();
      if (bytesPerSecond === undefined) return;
      const slot = nextSlot(freeAt, bytes, bytesPerSecond, Date.now());
      freeAt = slot.freeAt;
      if (slot.waitMs <= 0) return;
      await new Promise<void>((resolve, reject) => {
        const onAbort = () => {
          clearTimeout(timer);
          reject(signal!.reason);
        };
        const timer = setTimeout(() => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        }, slot.waitMs);
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    },
  };
}
