import { setTimeout as sleep } from 'node:timers/promises';

/** Options of {@link waitForHealthy}. */
export interface WaitForHealthyOptions {
  /** Give up after this long (default 30 s). */
  timeoutMs?: number;
  /** Time between attempts (default 100 ms). */
  intervalMs?: number;
  /** Stops waiting early, e.g. when the process exits. */
  signal?: AbortSignal;
}

/** The last answer (or error) of a health endpoint that never answered 200. */
export class NotHealthyError extends Error {
  override name = 'NotHealthyError';
  readonly lastAnswer: string;
  constructor(url: string, lastAnswer: string, reason: string) {
    super(`${url} did not answer 200 ${reason} (last answer: ${lastAnswer})`);
    this.lastAnswer = lastAnswer;
  }
}

/**
 * Polls a health URL until it answers 200, and resolves with the body.
 *
 * @example
 * await waitForHealthy('http://127.0.0.1:9103/healthz', { timeoutMs: 20_000 });
 */
export async function waitForHealthy(url: string, options: WaitForHealthyOptions = {}): Promise<string> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const intervalMs = options.intervalMs ?? 100;
  const deadline = Date.now() + timeoutMs;
  let lastAnswer = 'none';
  while (true) {
    if (options.signal?.aborted) throw new NotHealthyError(url, lastAnswer, `(${String(options.signal.reason)})`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(Math.min(2_000, timeoutMs)) });
      const body = await response.text();
      if (response.status === 200) return body;
      lastAnswer = `${response.status} ${body.slice(0, 500)}`;
    } catch (error) {
      lastAnswer =
        error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error);
    }
    if (Date.now() >= deadline) throw new NotHealthyError(url, lastAnswer, `within ${timeoutMs} ms`);
    await sleep(intervalMs, undefined, { signal: options.signal }).catch(() => undefined);
  }
}
