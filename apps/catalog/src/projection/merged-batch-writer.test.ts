import type { KnownEvent } from '@tonearm/bus';
import { describe, expect, it } from 'vitest';
import { mergedBatchWriter } from './merged-batch-writer.ts';

const events = (...ids: string[]) => ids.map((id) => ({ id }) as KnownEvent);

describe(mergedBatchWriter.name, () => {
  it('writes once every reader still reading has handed a batch in, all of them together', async () => {
    const writes: string[][] = [];
    const sut = mergedBatchWriter(3, async (batch) => void writes.push(batch.map((e) => e.id)));

    const first = sut.hand(events('a1', 'a2'));
    const second = sut.hand(events('b1'));
    await Promise.resolve();
    expect(writes).toEqual([]);
    sut.done();
    await Promise.all([first, second, sut.flushed()]);

    expect(writes).toEqual([['a1', 'a2', 'b1']]);
  });

  it('lets readers hand in the next batch while a write runs, and writes one at a time', async () => {
    let release!: () => void;
    let running = 0;
    let peak = 0;
    const writes: string[][] = [];
    const sut = mergedBatchWriter(1, async (batch) => {
      running++;
      peak = Math.max(peak, running);
      if (writes.length === 0) await new Promise<void>((resolve) => (release = resolve));
      writes.push(batch.map((e) => e.id));
      running--;
    });

    await sut.hand(events('x'));
    await sut.hand(events('y'));
    release();
    sut.done();
    await sut.flushed();

    expect(writes).toEqual([['x'], ['y']]);
    expect(peak).toBe(1);
  });

  it('reports a failed write and refuses further batches', async () => {
    const sut = mergedBatchWriter(1, async () => {
      throw new Error('database down');
    });

    await sut.hand(events('x'));
    await expect(sut.flushed()).rejects.toThrow('database down');
    await expect(sut.hand(events('y'))).rejects.toThrow('database down');
  });
});
