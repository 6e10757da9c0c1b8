import { describe, expect, it } from 'vitest';
import { LagHistory, sparklinePath } from './lag-history.ts';

describe('LagHistory', () => {
  it('keeps each consumer’s samples in order and its peak backlog', () => {
    const sut = new LagHistory(10_000);
    sut.add(1_000, [{ name: 'transcoder', pending: 2, ackPending: 1 }]);
    sut.add(2_000, [
      { name: 'transcoder', pending: 5, ackPending: 1 },
      { name: 'catalog-ingest', pending: 0, ackPending: 0 },
    ]);

    expect(sut.samples('transcoder').map((s) => s.pending)).toEqual([2, 5]);
    expect(sut.peak('transcoder')).toBe(6);
    expect(sut.samples('catalog-ingest')).toHaveLength(1);
    expect(sut.samples('unknown')).toEqual([]);
  });

  it('drops samples older than the window, and consumers with none left', () => {
    const sut = new LagHistory(10_000);
    sut.add(0, [{ name: 'gone', pending: 1, ackPending: 0 }]);
    sut.add(5_000, [{ name: 'kept', pending: 1, ackPending: 0 }]);
    sut.add(12_000, [{ name: 'kept', pending: 3, ackPending: 0 }]);

    expect(sut.samples('gone')).toEqual([]);
    expect(sut.samples('kept').map((s) => s.atMs)).toEqual([5_000, 12_000]);
  });

  it('refuses a window that is not positive', () => {
    expect(() => new LagHistory(0)).toThrow(RangeError);
  });
});

describe('sparklinePath', () => {
  it('spreads the values over the width with the largest at the top', () => {
    expect(sparklinePath([0, 2, 1], 100, 20)).toBe('M0,20 L50,0 L100,10');
  });

  it('draws a flat line for one value and nothing for none', () => {
    expect(sparklinePath([3], 100, 20)).toBe('M0,0 L100,0');
    expect(sparklinePath([], 100, 20)).toBe('');
  });

  it('keeps an all-zero series on the baseline', () => {
    expect(sparklinePath([0, 0], 10, 5)).toBe('M0,5 L10,5');
  });
});
