import { describe, expect, it } from 'vitest';
import { exponentialBackoff } from './backoff.ts';

describe(exponentialBackoff.name, () => {
  it('waits one second after the first delivery and doubles after each further one', () => {
    const sut = exponentialBackoff();
    expect([1, 2, 3, 4].map(sut)).toEqual([1000, 2000, 4000, 8000]);
  });

  it('never waits more than the cap', () => {
    const sut = exponentialBackoff();
    expect(sut(7)).toBe(60_000);
    expect(sut(1000)).toBe(60_000);
  });

  it('takes its own start and cap', () => {
    const sut = exponentialBackoff({ initialMs: 100, maxMs: 500 });
    expect([1, 2, 3, 4].map(sut)).toEqual([100, 200, 400, 500]);
  });

  it('treats a count below one as the first delivery', () => {
    expect(exponentialBackoff()(0)).toBe(1000);
  });

  it('refuses a cap below the start or a start that is not positive', () => {
    expect(() => exponentialBackoff({ initialMs: 0 })).toThrow(RangeError);
    expect(() => exponentialBackoff({ initialMs: 1000, maxMs: 10 })).toThrow(RangeError);
  });
});
