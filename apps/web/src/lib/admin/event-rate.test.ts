import { describe, expect, it } from 'vitest';
import { EventRateCounter } from './event-rate.ts';

describe('EventRateCounter', () => {
  it('counts events per second and type within the window, oldest second first', () => {
    const sut = new EventRateCounter(3);
    sut.record('b.done.v1', 10_000);
    sut.record('a.done.v1', 11_200);
    sut.record('a.done.v1', 11_900);
    sut.record('b.done.v1', 12_999);

    const series = sut.series(12_500);

    expect(series.seconds).toEqual([10_000, 11_000, 12_000]);
    expect(series.byType).toEqual([
      { type: 'a.done.v1', counts: [0, 2, 0] },
      { type: 'b.done.v1', counts: [1, 0, 1] },
    ]);
    expect(series.peak).toBe(2);
  });

  it('forgets seconds that left the window and answers a peak of at least 1', () => {
    const sut = new EventRateCounter(2);
    sut.record('a.done.v1', 1_000);

    const series = sut.series(10_000);

    expect(series.byType).toEqual([]);
    expect(series.peak).toBe(1);
    expect(sut.series(1_000).byType).toEqual([]);
  });

  it('refuses a window that is not a positive whole number of seconds', () => {
    expect(() => new EventRateCounter(0)).toThrow(RangeError);
    expect(() => new EventRateCounter(1.5)).toThrow(RangeError);
  });
});
