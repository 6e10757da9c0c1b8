import { describe, expect, it } from 'vitest';
import { taskLimiter } from './task-limiter.ts';

/** A task that finishes when the test says so. */
function deferred() {
  let finish: (value: string) => void = () => undefined;
  const promise = new Promise<string>((resolve) => {
    finish = resolve;
  });
  return { promise, finish };
}

describe('taskLimiter', () => {
  it('runs at most the limit at once and starts the waiting ones in order as slots free', async () => {
    const sut = taskLimiter(2);
    const tasks = [deferred(), deferred(), deferred()];
    const started: number[] = [];
    const results = tasks.map((task, index) =>
      sut.run(() => {
        started.push(index);
        return task.promise;
      }),
    );

    expect(started).toEqual([0, 1]);
    expect(sut.waiting).toBe(1);
    tasks[1]!.finish('b');
    await results[1];
    await Promise.resolve();
    expect(started).toEqual([0, 1, 2]);
    tasks[0]!.finish('a');
    tasks[2]!.finish('c');
    await expect(Promise.all(results)).resolves.toEqual(['a', 'b', 'c']);
    expect(sut.active).toBe(0);
  });

  it('frees the slot of a failed task and passes its error on', async () => {
    const sut = taskLimiter(1);
    const failed = sut.run(() => Promise.reject(new Error('part refused')));
    const next = sut.run(() => Promise.resolve('next'));

    await expect(failed).rejects.toThrow('part refused');
    await expect(next).resolves.toBe('next');
  });

  it('refuses a limit below one', () => {
    expect(() => taskLimiter(0)).toThrow(/positive integer/);
  });
});
