import { describe, expect, it } from 'vitest';
import { parseSince } from './since.ts';

const now = new Date('2026-11-25T18:10:00.000Z');
const fail = (message: string) => new Error(message);

describe('parseSince', () => {
  it.each([
    ['30s', '2026-11-25T18:09:30.000Z'],
    ['10m', '2026-11-25T18:00:00.000Z'],
    ['2h', '2026-11-25T16:10:00.000Z'],
    ['1d', '2026-11-24T18:10:00.000Z'],
    ['0s', '2026-11-25T18:10:00.000Z'],
    ['2026-11-25T17:00:00Z', '2026-11-25T17:00:00.000Z'],
    ['2026-11-25T17:00:00.250+01:00', '2026-11-25T16:00:00.250Z'],
    ['2026-11-25', '2026-11-25T00:00:00.000Z'],
  ])('reads %s', (value, expected) => {
    expect(parseSince(value, now, fail).toISOString()).toBe(expected);
  });

  it.each(['', '10', 'm', '10 minutes', '-5m', '1.5h', '10M', 'yesterday', '2026-13-45', '99999999999999999999d'])(
    'refuses %j naming the expected forms',
    (value) => {
      expect(() => parseSince(value, now, fail)).toThrow(
        `--since must be a duration such as 30s, 10m, 2h or 1d, or an ISO time, not "${value}"`,
      );
    },
  );
});
