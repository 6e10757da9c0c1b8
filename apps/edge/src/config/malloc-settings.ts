/**
 * glibc's `MALLOC_MMAP_THRESHOLD_` for the edge: allocations of 80 KiB and more get pages of their
 * own, so a segment evicted from the cache gives its memory back at once. In the shared heap,
 * cached segments (~90 KB) end up between the short-lived buffers of reads and responses, and the
 * heap cannot shrink past them (about 40 MB more RSS per process at the cache bound). Socket read
 * buffers (64 KiB) stay below it.
 */
export const cacheFriendlyMmapThreshold = String(80 * 1024);

/**
 * Starts this process again in place (same pid, arguments and stdio, `process.execve`) with
 * {@link cacheFriendlyMmapThreshold} when `MALLOC_MMAP_THRESHOLD_` is not set: glibc reads it only
 * at process start. A value that is set is kept, and cluster workers inherit it. Returns when
 * nothing is to be done; otherwise it does not return.
 *
 * @example
 * if (cluster.isPrimary) useCacheFriendlyMalloc(process.env);
 */
export function useCacheFriendlyMalloc(env: NodeJS.ProcessEnv): void {
  if (env.MALLOC_MMAP_THRESHOLD_ !== undefined || typeof process.execve !== 'function') return;
  process.execve(process.execPath, [process.execPath, ...process.execArgv, ...process.argv.slice(1)], {
    ...env,
    MALLOC_MMAP_THRESHOLD_: cacheFriendlyMmapThreshold,
  });
}
