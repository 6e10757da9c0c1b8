import { describe, expect, it } from 'vitest';
import { refreshAt, refreshDelayMs } from './token-schedule.ts';

describe('refreshDelayMs', () => {
  it('renews a quarter-hour token a minute before it expires', () => {
    expect(refreshDelayMs(900)).toBe(840_000);
  });

  it('renews a short token after four fifths of its life', () => {
    expect(refreshDelayMs(100)).toBe(80_000);
  });

  it('never schedules sooner than five seconds', () => {
    expect(refreshDelayMs(2)).toBe(5_000);
    expect(refreshDelayMs(0)).toBe(5_000);
    expect(refreshDelayMs(-10)).toBe(5_000);
  });
});

describe('refreshAt', () => {
  it('adds the delay to the moment the token was issued', () => {
    expect(refreshAt(900, 1_000)).toBe(841_000);
  });
});
