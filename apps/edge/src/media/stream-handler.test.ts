import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { playEventId as sut } from './stream-handler.ts';

describe('playEventId', () => {
  it('is a UUID, the same for the same playback token and different for another', () => {
    expect(z.uuid().safeParse(sut('token-a')).success).toBe(true);
    expect(sut('token-a')).toBe(sut('token-a'));
    expect(sut('token-a')).not.toBe(sut('token-b'));
  });
});
