/** What an ingest run listens to for Ctrl-C: `process`, or an emitter in tests. */
export interface SignalSource {
  on(event: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
  off(event: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
}

/** The reason an ingest run stopped early: the user pressed Ctrl-C (or the process got SIGTERM). */
export class InterruptedError extends Error {
  override name = 'InterruptedError';
  constructor() {
    super('interrupted');
  }
}

/** The exit code of a run stopped by Ctrl-C, as shells report 128 + SIGINT. */
export const INTERRUPTED_EXIT_CODE = 130;

/**
 * Turns the first SIGINT/SIGTERM into an aborted signal (no new parts start, parts in flight are
 * aborted, sessions stay saved for a rerun) and calls `onFirst`; a second one calls `onForce`,
 * for a user who does not want to wait.
 *
 * @example
 * const interrupt = watchInterrupt(process, { onFirst: () => console.error('stopping'), onForce: () => process.exit(130) });
 * await work(interrupt.signal);
 * interrupt.dispose();
 */
export function watchInterrupt(
  source: SignalSource,
  handlers: { onFirst: () => void; onForce: () => void },
): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const listener = () => {
    if (controller.signal.aborted) {
      handlers.onForce();
      return;
    }
    controller.abort(new InterruptedError());
    handlers.onFirst();
  };
  source.on('SIGINT', listener);
  source.on('SIGTERM', listener);
  return {
    signal: controller.signal,
    dispose() {
      source.off('SIGINT', listener);
      source.off('SIGTERM', listener);
    },
  };
}

/** Whether an error is the abort of an interrupted run (our reason, or fetch's AbortError). */
export function isInterruption(error: unknown, signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true && (error instanceof InterruptedError || (error as Error)?.name === 'AbortError');
}
