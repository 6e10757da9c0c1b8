import { describe, expect, it } from 'vitest';
import { eventRank, trackStatus } from './track-status.ts';

describe('trackStatus', () => {
  it.each([
    [null, null, 'pending'],
    [null, 'completed', 'pending'],
    [null, 'failed', 'pending'],
    ['completed', null, 'processing'],
    ['completed', 'completed', 'ready'],
    ['completed', 'failed', 'failed'],
    ['failed', null, 'failed'],
    ['failed', 'completed', 'failed'],
  ] as const)('upload %s and transcode %s make %s', (upload, transcode, expected) => {
    expect(trackStatus(upload, transcode)).toBe(expected);
  });
});

describe('eventRank', () => {
  it('orders by time whatever the offset it is written in, then by id', () => {
    const early = eventRank({ occurredAt: '2026-01-01T01:00:00+01:00', id: 'b' });
    const sameTime = eventRank({ occurredAt: '2026-01-01T00:00:00.000Z', id: 'c' });
    const late = eventRank({ occurredAt: '2026-01-01T00:00:00.001Z', id: 'a' });
    expect([late, sameTime, early].sort()).toEqual([early, sameTime, late]);
  });
});
