/** Runs async tasks with at most `limit` running at once; the rest wait in order. */
export interface TaskLimiter {
  /** Runs `task` when a slot is free; answers what it answers. */
  run<T>(task: () => Promise<T>): Promise<T>;
  /** Tasks running now. */
  readonly active: number;
  /** Tasks waiting for a slot. */
  readonly waiting: number;
}

/**
 * A limiter shared by every upload on the page, so many files never open more than `limit`
 * part requests at once.
 *
 * @example
 * const limiter = taskLimiter(4);
 * await Promise.all(parts.map((part) => limiter.run(() => send(part))));
 */
export function taskLimiter(limit: number): TaskLimiter {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`limit must be a positive integer, got ${limit}`);
  const queue: (() => void)[] = [];
  let active = 0;
  const release = () => {
    active -= 1;
    const next = queue.shift();
    if (next) next();
  };
  return {
    get active() {
      return active;
    },
    get waiting() {
      return queue.length;
    },
    run<T>(task: () => Promise<T>): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        const start = () => {
          active += 1;
          task().then(resolve, reject).finally(release);
        };
        if (active < limit) start();
        else queue.push(start);
      });
    },
  };
}
