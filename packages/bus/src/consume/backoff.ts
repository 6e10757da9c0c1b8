/** A delay before the next delivery, given how many deliveries the message has had (1 for the first). */
export type BackoffFn = (deliveryCount: number) => number;

/**
 * Exponential delays: `initialMs` after the first delivery, doubled after each further one,
 * never more than `maxMs`.
 *
 * @example
 * const backoffMs = exponentialBackoff(); // 1 s, 2 s, 4 s, ... capped at 60 s
 * backoffMs(3); // 4000
 */
export function exponentialBackoff(options: { initialMs?: number; maxMs?: number } = {}): BackoffFn {
  const initialMs = options.initialMs ?? 1000;
  const maxMs = options.maxMs ?? 60_000;
  if (!(initialMs > 0) || !(maxMs >= initialMs)) {
    throw new RangeError(`backoff needs 0 < initialMs <= maxMs, got ${initialMs} and ${maxMs}`);
  }
  return (deliveryCount) => {
    const exponent = Math.max(0, Math.floor(deliveryCount) - 1);
    return Math.min(maxMs, initialMs * 2 ** Math.min(exponent, 52));
  };
}
