import { describe, expect, it } from 'vitest';
import { createThrottle, nextSlot, parseByteRate } from './rate-limit.ts';

describe('parseByteRate', () => {
  it.each([
    ['1048576', 1048576],
    ['500K', 512000],
    ['2M', 2097152],
    ['1.5m', 1572864],
    ['1G', 1024 ** 3],
    ['2MiB/s', 2097152],
  ])('reads %s', (value, bytes) => {
    expect(parseByteRate(value)).toBe(bytes);
  });

  it.each(['', 'fast', '-1M', '0', '2T', '1,5M'])('refuses %j naming it', (value) => {
    expect(() => parseByteRate(value)).toThrow(`"${value}" is not a byte rate`);
  });
});

describe('nextSlot', () => {
  it('starts the first chunk at once and books the time it takes at the rate', () => {
    expect(nextSlot(0, 1000, 500, 10_000)).toEqual({ waitMs: 0, freeAt: 12_000 });
  });

  it('makes a chunk asked for while the schedule is busy wait for it', () => {
    expect(nextSlot(12_000, 1000, 500, 10_500)).toEqual({ waitMs: 1500, freeAt: 14_000 });
  });

  it('does not bank idle time: after a pause the next chunk starts now', () => {
    expect(nextSlot(12_000, 500, 500, 20_000)).toEqual({ waitMs: 0, freeAt: 21_000 });
  });
});

describe('createThrottle', () => {
  it('never waits without a rate', async () => {
    const sut = createThrottle(undefined);
    await expect(sut.take(10 ** 9)).resolves.toBeUndefined();
  });

  it('rejects a wait with the reason of the aborted signal', async () => {
    const sut = createThrottle(1);
    await sut.take(1000);
    const controller = new AbortController();
    const waiting = sut.take(1, controller.signal);
    controller.abort(new Error('interrupted'));
    await expect(waiting).rejects.toThrow('interrupted');
  });
});
