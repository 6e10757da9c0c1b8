import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from './page-cursor.ts';

describe('page cursor', () => {
  it('reads back what it wrote, in URL-safe characters', () => {
    const sut = encodeCursor(['2026-03-01T10:00:00.123+00:00', 'ÿ/+?']);
    expect(sut).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(sut, 2)).toEqual(['2026-03-01T10:00:00.123+00:00', 'ÿ/+?']);
  });

  it.each([
    ['not base64 json', '!!!'],
    ['a JSON object', Buffer.from('{"a":1}').toString('base64url')],
    ['the wrong length', encodeCursor(['only one'])],
    ['a number inside', Buffer.from('[1,"x"]').toString('base64url')],
    ['an over-long part', encodeCursor(['x'.repeat(301), 'y'])],
  ])('refuses %s', (_, cursor) => {
    expect(decodeCursor(cursor, 2)).toBeUndefined();
  });
});
