/** The byte range of one part of a multipart upload (`end` exclusive). */
export interface PartRange {
  partNumber: number;
  start: number;
  end: number;
}

/**
 * The byte ranges of `partNumbers` in a file of `size` bytes cut at `partSize` (the last part may
 * be shorter); a part number past the end of the file is an error.
 *
 * @example
 * partRanges(12, 5, [1, 3]) // [{ partNumber: 1, start: 0, end: 5 }, { partNumber: 3, start: 10, end: 12 }]
 */
export function partRanges(size: number, partSize: number, partNumbers: readonly number[]): PartRange[] {
  if (!Number.isInteger(partSize) || partSize < 1) throw new RangeError(`part size must be positive, got ${partSize}`);
  const count = Math.max(1, Math.ceil(size / partSize));
  return partNumbers.map((partNumber) => {
    if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > count) {
      throw new RangeError(`part ${partNumber} is outside a file of ${count} parts`);
    }
    const start = (partNumber - 1) * partSize;
    return { partNumber, start, end: Math.min(size, start + partSize) };
  });
}

/**
 * Runs `work` over `items` with at most `limit` at once, answering results in input order. Once
 * `signal` is aborted no new item starts (their results stay empty); items running finish.
 *
 * @example
 * await mapLimit([1, 2, 3], 2, async (n) => n * 2) // [2, 4, 6]
 */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
  signal?: AbortSignal,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length && !signal?.aborted) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * A gate letting at most `limit` tasks run at once; the others wait in order.
 *
 * @example
 * const limit = createLimiter(2);
 * await Promise.all(urls.map((url) => limit(() => fetch(url))));
 */
export function createLimiter(limit: number): <R>(work: () => Promise<R>) => Promise<R> {
  let running = 0;
  const queue: (() => void)[] = [];
  return async (work) => {
    if (running >= limit) await new Promise<void>((resolve) => queue.push(resolve));
    running++;
    try {
      return await work();
    } finally {
      running--;
      queue.shift()?.();
    }
  };
}
