import { setImmediate } from 'node:timers/promises';
import type { KnownEvent } from '@tonearm/bus';
import { describe, expect, it } from 'vitest';
import { coalescedWrites } from './coalesced-writes.ts';

const events = (...ids: string[]) => ids.map((id) => ({ id }) as KnownEvent);
const idsOf = (batch: KnownEvent[]) => batch.map((e) => e.id);

describe(coalescedWrites.name, () => {
  it('merges the batches handed in the same turn into one write when idle', async () => {
    const writes: string[][] = [];
    const sut = coalescedWrites(async (batch) => void writes.push(idsOf(batch)));

    await Promise.all([sut(events('a')), sut(events('b'))]);

    expect(writes).toEqual([['a', 'b']]);
  });

  it('merges what arrives during a write into the next one', async () => {
    const writes: string[][] = [];
    let release!: () => void;
    const sut = coalescedWrites(async (batch) => {
      writes.push(idsOf(batch));
      if (writes.length === 1) await new Promise<void>((resolve) => (release = resolve));
    });

    const first = sut(events('a'));
    await setImmediate();
    const second = sut(events('b1', 'b2'));
    const third = sut(events('c'));
    expect(writes).toEqual([['a']]);
    release();
    await Promise.all([first, second, third]);

    expect(writes).toEqual([['a'], ['b1', 'b2', 'c']]);
  });

  it('writes each batch of a failed merged write alone, so only the bad one fails', async () => {
    const writes: string[][] = [];
    let release!: () => void;
    const sut = coalescedWrites(async (batch) => {
      writes.push(idsOf(batch));
      if (writes.length === 1) await new Promise<void>((resolve) => (release = resolve));
      if (batch.some((e) => e.id === 'bad')) throw new Error('cannot project bad');
    });

    const first = sut(events('a'));
    await setImmediate();
    const good = sut(events('g'));
    const bad = sut(events('bad'));
    release();

    await expect(first).resolves.toBeUndefined();
    await expect(good).resolves.toBeUndefined();
    await expect(bad).rejects.toThrow('cannot project bad');
    expect(writes).toEqual([['a'], ['g', 'bad'], ['g'], ['bad']]);
  });
});
