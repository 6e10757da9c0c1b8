import type { Track } from '@tonearm/contracts';
import { describe, expect, it } from 'vitest';
import { applyUploadStatus, upsertTrack } from './my-uploads-list.ts';

function track(id: string, status: Track['status'], title = `Track ${id.slice(-1)}`): Track {
  return {
    id,
    title,
    artist: null,
    album: null,
    trackNumber: null,
    discNumber: null,
    durationMs: null,
    status,
    hasCover: false,
    owner: { id: '00000000-0000-4000-8000-0000000000c1' },
    playCount: 0,
    createdAt: '2026-01-01T00:00:00.000Z',
  };
}

const a = '00000000-0000-4000-8000-00000000000a';
const b = '00000000-0000-4000-8000-00000000000b';

describe('applyUploadStatus', () => {
  it('removes a deleted track', () => {
    const sut = applyUploadStatus([track(a, 'ready'), track(b, 'failed')], { trackId: b, status: 'deleted' }, 'all');
    expect(sut.tracks.map((t) => t.id)).toEqual([a]);
    expect(sut.fetch).toBeUndefined();
  });

  it('shows a failure with its reason in place', () => {
    const sut = applyUploadStatus(
      [track(a, 'processing'), track(b, 'ready')],
      { trackId: a, status: 'failed', reason: 'not an audio file' },
      'all',
    );
    expect(sut.tracks.map((t) => [t.id, t.status, t.error])).toEqual([
      [a, 'failed', 'not an audio file'],
      [b, 'ready', undefined],
    ]);
  });

  it('takes the catalog view a ready status carries', () => {
    const ready = { ...track(a, 'ready', 'Tagged Title'), durationMs: 8_000 };
    const sut = applyUploadStatus([track(a, 'processing')], { trackId: a, status: 'ready', track: ready }, 'all');
    expect(sut.tracks).toEqual([ready]);
  });

  it('asks for a track the list does not hold, and for a ready one without the catalog view', () => {
    expect(applyUploadStatus([], { trackId: a, status: 'processing', title: 'New' }, 'all')).toEqual({
      tracks: [],
      fetch: a,
    });
    expect(applyUploadStatus([track(a, 'processing')], { trackId: a, status: 'ready' }, 'all').fetch).toBe(a);
  });

  it('never moves a ready track back to processing on a late status', () => {
    const list = [track(a, 'ready')];
    expect(applyUploadStatus(list, { trackId: a, status: 'transcoding', percent: 50 }, 'all').tracks).toBe(list);
  });

  it('drops a track from a filter it no longer matches', () => {
    const sut = applyUploadStatus(
      [track(a, 'processing')],
      { trackId: a, status: 'failed', reason: 'bad' },
      'processing',
    );
    expect(sut.tracks).toEqual([]);
  });
});

describe('upsertTrack', () => {
  it('puts a new track first, since the list is newest first', () => {
    expect(upsertTrack([track(a, 'ready')], track(b, 'processing'), 'all').map((t) => t.id)).toEqual([b, a]);
  });

  it('leaves out a track the filter does not show', () => {
    expect(upsertTrack([track(a, 'ready')], track(b, 'processing'), 'ready').map((t) => t.id)).toEqual([a]);
  });
});
