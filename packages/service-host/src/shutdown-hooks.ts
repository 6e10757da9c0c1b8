import type { Logger } from '@tonearm/runtime';

/** Something to finish before the process exits, such as in-flight work or an HTTP server. */
export type ShutdownHook = () => Promise<void> | void;

/**
 * Runs hooks last-registered first (what started last stops first), each awaited, all within
 * `timeoutMs` in total. A hook that throws is logged and the rest still run.
 *
 * @returns whether every hook finished in time and without error
 */
export async function runShutdownHooks(hooks: ShutdownHook[], timeoutMs: number, logger: Logger): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  const all = (async () => {
    let clean = true;
    for (const hook of [...hooks].reverse()) {
      try {
        await hook();
      } catch (error) {
        clean = false;
        logger.error({ err: error }, 'shutdown step failed');
      }
    }
    return clean;
  })();
  try {
    const finished = await Promise.race([all, deadline]);
    if (!finished) logger.error({ timeoutMs }, 'shutdown did not finish in time');
    return finished;
  } finally {
    clearTimeout(timer);
  }
}
