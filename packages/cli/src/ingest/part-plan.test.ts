import { describe, expect, it } from 'vitest';
import { createLimiter, mapLimit, partRanges } from './part-plan.ts';

describe('partRanges', () => {
  it('cuts the requested parts at the part size with a shorter last part', () => {
    expect(partRanges(12, 5, [1, 2, 3])).toEqual([
      { partNumber: 1, start: 0, end: 5 },
      { partNumber: 2, start: 5, end: 10 },
      { partNumber: 3, start: 10, end: 12 },
    ]);
  });

  it('plans only the missing parts of a resumed upload', () => {
    expect(partRanges(15, 5, [2])).toEqual([{ partNumber: 2, start: 5, end: 10 }]);
  });

  it('plans one part for a file smaller than a part', () => {
    expect(partRanges(3, 5, [1])).toEqual([{ partNumber: 1, start: 0, end: 3 }]);
  });

  it.each([[[0]], [[4]], [[1.5]]])('refuses part numbers outside the file: %j', (parts) => {
    expect(() => partRanges(12, 5, parts)).toThrow(RangeError);
  });

  it('refuses a part size that is not positive', () => {
    expect(() => partRanges(12, 0, [1])).toThrow(RangeError);
  });
});

describe('mapLimit', () => {
  it('keeps input order and never runs more than the limit at once', async () => {
    let running = 0;
    let most = 0;
    const sut = await mapLimit([5, 1, 4, 2, 3], 2, async (n) => {
      running++;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, n));
      running--;
      return n * 10;
    });
    expect(sut).toEqual([50, 10, 40, 20, 30]);
    expect(most).toBe(2);
  });

  it('starts nothing new once the signal is aborted, and lets running items finish', async () => {
    const controller = new AbortController();
    const started: number[] = [];
    const sut = await mapLimit(
      [1, 2, 3, 4],
      2,
      async (n) => {
        started.push(n);
        if (n === 2) controller.abort();
        await new Promise((resolve) => setTimeout(resolve, 5));
        return n;
      },
      controller.signal,
    );
    expect(started).toEqual([1, 2]);
    expect(sut).toEqual([1, 2, undefined, undefined]);
  });
});

describe('createLimiter', () => {
  it('runs at most the limit at once, in the order asked, and passes results and errors through', async () => {
    const sut = createLimiter(2);
    let running = 0;
    let most = 0;
    const order: number[] = [];
    const task = (n: number) =>
      sut(async () => {
        running++;
        most = Math.max(most, running);
        order.push(n);
        await new Promise((resolve) => setTimeout(resolve, 5));
        running--;
        if (n === 3) throw new Error('three');
        return n;
      });
    const results = await Promise.allSettled([1, 2, 3, 4, 5].map(task));
    expect(most).toBe(2);
    expect(order).toEqual([1, 2, 3, 4, 5]);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual([
      1,
      2,
      'three',
      4,
      5,
    ]);
  });
});
