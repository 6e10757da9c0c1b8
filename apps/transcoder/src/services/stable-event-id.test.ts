import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { stableEventId } from './stable-event-id.ts';

describe('stableEventId', () => {
  it('gives the same version 5 UUID for the same parts', () => {
    const sut = stableEventId('transcode.completed.v1', 'track', 'abc');
    expect(sut).toBe(stableEventId('transcode.completed.v1', 'track', 'abc'));
    expect(sut).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(z.string().uuid().safeParse(sut).success).toBe(true);
  });

  it('gives different ids for different parts, however they are split', () => {
    expect(stableEventId('a', 'bc')).not.toBe(stableEventId('ab', 'c'));
    expect(stableEventId('transcode.completed.v1', 't', 'x')).not.toBe(stableEventId('transcode.failed.v1', 't', 'x'));
  });
});
