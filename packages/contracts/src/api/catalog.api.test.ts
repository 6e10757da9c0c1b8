import { describe, expect, it } from 'vitest';
import { cleanQuery, listTracksInputSchema, MAX_QUERY_LENGTH, searchRpc, trackSchema } from './catalog.api.ts';

describe('cleanQuery', () => {
  it('turns control characters into spaces, cuts long text and trims', () => {
    expect(cleanQuery(' a\u0000b\tc\n ')).toBe('a b c');
    expect(cleanQuery('x'.repeat(10_000))).toHaveLength(MAX_QUERY_LENGTH);
  });
});

describe('listTracksInputSchema', () => {
  it('reads query-string values the edge passes on as text', () => {
    const sut = listTracksInputSchema.parse({ mine: 'true', limit: '20', q: '  halo ' });
    expect(sut).toEqual({ mine: true, limit: 20, q: 'halo' });
  });

  it('defaults the page size', () => {
    expect(listTracksInputSchema.parse({}).limit).toBe(50);
  });

  it.each([
    ['a page size over the maximum', { limit: 101 }],
    ['an unknown status', { status: 'deleted' }],
    ['an artist id that is not a uuid', { artistId: '1' }],
    ['mine that is not a boolean', { mine: 'yes please' }],
    ['an oversized cursor', { cursor: 'c'.repeat(501) }],
  ])('refuses %s', (_, input) => {
    expect(listTracksInputSchema.safeParse(input).success).toBe(false);
  });
});

describe('searchRpc input', () => {
  it('needs q', () => {
    expect(searchRpc.input.safeParse({}).success).toBe(false);
    expect(searchRpc.input.parse({ q: 'beyoncé' })).toEqual({ q: 'beyoncé', limit: 50 });
  });
});

describe('trackSchema', () => {
  it('accepts the api.md track of a failed upload', () => {
    const failed = {
      id: '0b6f8f52-4f0b-4b8a-9d55-6a0c2f0e6c11',
      title: 'notes.txt',
      artist: null,
      album: null,
      trackNumber: null,
      discNumber: null,
      durationMs: null,
      status: 'failed',
      error: 'the file is not audio',
      hasCover: false,
      owner: { id: '1b6f8f52-4f0b-4b8a-9d55-6a0c2f0e6c11' },
      playCount: 0,
      createdAt: '2026-03-01T10:00:00+00:00',
    };
    expect(trackSchema.parse(failed)).toEqual(failed);
  });
});
