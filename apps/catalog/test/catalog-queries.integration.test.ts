import { randomUUID } from 'node:crypto';
import { RpcError } from '@tonearm/bus';
import {
  deleteTrackRpc,
  getAlbumRpc,
  getArtistRpc,
  getTrackMediaRpc,
  getTrackRpc,
  listAlbumsRpc,
  listArtistsRpc,
  listTracksRpc,
  searchRpc,
} from '@tonearm/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { principalOf, startCatalogHarness, type CatalogHarness } from './support/catalog-harness.ts';
import { makeEvent, registeredUser, transcodeCompleted, uploadCompleted } from './support/event-history.ts';

let harness: CatalogHarness;
const alice = registeredUser('Alice');
const bob = registeredUser('Bob');
const admin = registeredUser('Ops', ['user', 'admin']);
const asAlice = principalOf(alice.userId);
const asBob = principalOf(bob.userId);
const asAdmin = principalOf(admin.userId, true);

function readyTrack(owner: string, tagValues: Parameters<typeof uploadCompleted>[1]) {
  const upload = uploadCompleted(owner, tagValues);
  return { id: upload.data.trackId, events: [upload, transcodeCompleted(upload.data.trackId)] };
}

const halo = readyTrack(alice.userId, {
  title: 'Halo',
  artist: 'Beyoncé',
  album: 'I Am... Sasha Fierce',
  trackNumber: 1,
});
const ladies = readyTrack(bob.userId, {
  title: 'Single Ladies',
  artist: 'BEYONCE feat. Nobody',
  album: 'I am... Sasha Fierce',
  trackNumber: 2,
});
const airbag = readyTrack(bob.userId, { title: 'Airbag', artist: 'Radiohead', album: 'OK Computer', trackNumber: 1 });
const titleMatch = readyTrack(alice.userId, { title: 'Nightfall', artist: 'Someone', album: 'Daylight' });
const albumMatch = readyTrack(alice.userId, { title: 'Morning', artist: 'Someone Else', album: 'Nightfall' });
const refusedId = randomUUID();
const refused = makeEvent('ingest.upload.failed.v1', {
  trackId: refusedId,
  uploadId: 'upload-refused',
  ownerId: alice.userId,
  filename: 'holiday.txt',
  reason: 'the file is not audio',
});
const processing = uploadCompleted(alice.userId, { title: 'Still Processing', artist: 'Alice Band' });

beforeAll(async () => {
  harness = await startCatalogHarness('catalog-q');
  await harness.publishAndWait([
    alice.event,
    bob.event,
    admin.event,
    ...halo.events,
    ...ladies.events,
    ...airbag.events,
    ...titleMatch.events,
    ...albumMatch.events,
    refused,
    processing,
  ]);
});

afterAll(async () => {
  await harness?.stop();
});

describe('search', () => {
  it('finds an accented artist from plain letters and the other way round', async () => {
    const plain = await harness.call(searchRpc, { q: 'Beyonce' });
    expect(plain.artists.map((a) => a.name)).toEqual(['Beyoncé']);
    expect(plain.tracks.map((t) => t.title).sort()).toEqual(['Halo', 'Single Ladies']);
    const accented = await harness.call(searchRpc, { q: 'beyoncé' });
    expect(accented.artists.map((a) => a.id)).toEqual(plain.artists.map((a) => a.id));
  });

  it('tolerates a typo', async () => {
    const sut = await harness.call(searchRpc, { q: 'radiohed' });
    expect(sut.artists.map((a) => a.name)).toEqual(['Radiohead']);
    expect(sut.tracks.map((t) => t.title)).toEqual(['Airbag']);
    expect(sut.albums.map((a) => a.title)).toEqual(['OK Computer']);
  });

  it('ranks a title match above an album match', async () => {
    const sut = await harness.call(searchRpc, { q: 'nightfall' });
    expect(sut.tracks.map((t) => t.id)).toEqual([titleMatch.id, albumMatch.id]);
  });

  it.each([
    ['quotes', `"'; DROP TABLE tracks; --`],
    ['percent and underscore', '%_%'],
    ['backslashes', '\\\\\\'],
    ['tsquery syntax', 'a & | ! ( :* <->'],
    ['ten kilobytes', 'radiohead '.repeat(1024)],
    ['control characters', '\u0000\u0001\t\n'],
  ])('answers normally for a hostile q (%s)', async (_, q) => {
    const found = await harness.call(searchRpc, { q });
    expect(found).toEqual({ tracks: expect.any(Array), albums: expect.any(Array), artists: expect.any(Array) });
    const listed = await harness.call(listTracksRpc, { q });
    expect(listed.items).toEqual(expect.any(Array));
  });

  it('finds nothing for empty text', async () => {
    expect(await harness.call(searchRpc, { q: '   ' })).toEqual({ tracks: [], albums: [], artists: [] });
  });
});

describe('grouping', () => {
  it('puts tracks of one album by one artist on one album whatever the spelling', async () => {
    const track = await harness.call(getTrackRpc, { id: ladies.id });
    expect(track.artist?.name).toBe('Beyoncé');
    const album = await harness.call(getAlbumRpc, { id: track.album!.id });
    expect(album).toMatchObject({ title: 'I Am... Sasha Fierce', trackCount: 2, hasCover: true });
    expect(album.tracks.map((t) => t.title)).toEqual(['Halo', 'Single Ladies']);
    const artist = await harness.call(getArtistRpc, { id: track.artist!.id });
    expect(artist.albums.map((a) => a.id)).toEqual([album.id]);
    expect(artist.tracks).toHaveLength(2);
  });

  it('answers not_found for an unknown album or artist', async () => {
    await expect(harness.call(getAlbumRpc, { id: randomUUID() })).rejects.toMatchObject({ code: 'not_found' });
    await expect(harness.call(getArtistRpc, { id: randomUUID() })).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('tracks', () => {
  it('shows a ready track in the api.md shape', async () => {
    const sut = await harness.call(getTrackRpc, { id: airbag.id });
    expect(sut).toMatchObject({
      id: airbag.id,
      title: 'Airbag',
      artist: { name: 'Radiohead' },
      album: { title: 'OK Computer' },
      trackNumber: 1,
      durationMs: 180_000,
      status: 'ready',
      loudness: { integratedLufs: -9.5, truePeakDb: -0.4, gainDb: -4.5 },
      renditions: [
        { name: 'aac-64k', bitrate: 69_000, codecs: 'mp4a.40.2' },
        { name: 'aac-128k', bitrate: 133_000, codecs: 'mp4a.40.2' },
        { name: 'aac-256k', bitrate: 261_000, codecs: 'mp4a.40.2' },
      ],
      hasCover: true,
      owner: { id: bob.userId },
      playCount: 0,
    });
    expect(sut).not.toHaveProperty('error');
  });

  it('says which tracks have cover art, in lists, details and search alike', async () => {
    const mine = await harness.call(listTracksRpc, { mine: true, limit: 100 }, asAlice);
    const hasCover = new Map(mine.items.map((t) => [t.id, t.hasCover]));
    expect(hasCover.get(halo.id)).toBe(true);
    expect(hasCover.get(processing.data.trackId)).toBe(false);
    expect(hasCover.get(refusedId)).toBe(false);
    const album = await harness.call(getAlbumRpc, {
      id: (await harness.call(getTrackRpc, { id: airbag.id })).album!.id,
    });
    expect(album.tracks.map((t) => t.hasCover)).toEqual([true]);
    const found = await harness.call(searchRpc, { q: 'still processing' }, asAlice);
    expect(found.tracks.find((t) => t.id === processing.data.trackId)?.hasCover).toBe(false);
  });

  it('shows the owner their failed and processing uploads with the reason', async () => {
    const mine = await harness.call(listTracksRpc, { mine: true }, asAlice);
    const byId = new Map(mine.items.map((t) => [t.id, t]));
    expect(byId.get(refusedId)).toMatchObject({
      status: 'failed',
      error: 'the file is not audio',
      title: 'holiday.txt',
    });
    expect(byId.get(processing.data.trackId)).toMatchObject({ status: 'processing' });
    expect(mine.items.every((t) => t.owner.id === alice.userId)).toBe(true);
    const failed = await harness.call(listTracksRpc, { mine: true, status: 'failed' }, asAlice);
    expect(failed.items.map((t) => t.id)).toEqual([refusedId]);
  });

  it('hides failed and processing uploads from other users and anonymous callers', async () => {
    for (const principal of [asBob, null]) {
      const listed = await harness.call(listTracksRpc, { limit: 100 }, principal);
      expect(listed.items.every((t) => t.status === 'ready')).toBe(true);
      await expect(harness.call(getTrackRpc, { id: refusedId }, principal)).rejects.toMatchObject({
        code: 'not_found',
      });
    }
    const byAdmin = await harness.call(getTrackRpc, { id: refusedId }, asAdmin);
    expect(byAdmin.status).toBe('failed');
  });

  it('refuses mine without a user', async () => {
    await expect(harness.call(listTracksRpc, { mine: true })).rejects.toMatchObject({ code: 'unauthorized' });
  });

  it.each([
    ['a bad cursor', { cursor: 'not-a-cursor' }],
    ['a bad status', { status: 'deleted' }],
    ['a zero limit', { limit: 0 }],
    ['a huge limit', { limit: 1000 }],
    ['a bad artist id', { artistId: 'x' }],
  ])('refuses %s with invalid_request', async (_, input) => {
    await expect(harness.call(listTracksRpc, input as never)).rejects.toMatchObject({ code: 'invalid_request' });
  });

  it('filters by artist and album', async () => {
    const track = await harness.call(getTrackRpc, { id: halo.id });
    const byArtist = await harness.call(listTracksRpc, { artistId: track.artist!.id });
    expect(byArtist.items.map((t) => t.id).sort()).toEqual([halo.id, ladies.id].sort());
    const byAlbum = await harness.call(listTracksRpc, { albumId: track.album!.id, q: 'halo' });
    expect(byAlbum.items.map((t) => t.id)).toEqual([halo.id]);
  });

  it('gives the edge the media keys of a visible track only', async () => {
    const sut = await harness.call(getTrackMediaRpc, { id: airbag.id }, asAlice);
    expect(sut).toEqual({
      id: airbag.id,
      ownerId: bob.userId,
      status: 'ready',
      masterKey: `hls/${airbag.id}/master.m3u8`,
      waveformKey: `hls/${airbag.id}/waveform.json`,
      coverKey: `covers/${airbag.id}`,
      durationMs: 180_000,
    });
    await expect(harness.call(getTrackMediaRpc, { id: refusedId }, asBob)).rejects.toMatchObject({
      code: 'not_found',
    });
  });
});

describe('pagination', () => {
  it('pages tracks without duplicates or gaps while new tracks arrive', async () => {
    const seen: string[] = [];
    const first = await harness.call(listTracksRpc, { limit: 2 });
    seen.push(...first.items.map((t) => t.id));
    const before = (await harness.call(listTracksRpc, { limit: 100 })).items.map((t) => t.id);
    const newcomer = readyTrack(bob.userId, { title: 'Brand New', artist: 'Latecomer' });
    await harness.publishAndWait(newcomer.events);
    let cursor = first.nextCursor;
    while (cursor) {
      const page = await harness.call(listTracksRpc, { limit: 2, cursor });
      seen.push(...page.items.map((t) => t.id));
      cursor = page.nextCursor;
    }
    expect(seen).toEqual(before);
    const after = await harness.call(listTracksRpc, { limit: 100 });
    expect(after.items.map((t) => t.id)).toContain(newcomer.id);
  });

  it('pages artists and albums in name order', async () => {
    const artists: string[] = [];
    let cursor: string | null | undefined;
    do {
      const page = await harness.call(listArtistsRpc, { limit: 2, ...(cursor ? { cursor } : {}) });
      artists.push(...page.items.map((a) => a.name));
      cursor = page.nextCursor;
    } while (cursor);
    expect(artists).toEqual(['Beyoncé', 'Latecomer', 'Radiohead', 'Someone', 'Someone Else']);
    const albums = await harness.call(listAlbumsRpc, { limit: 100 });
    expect(albums.items.map((a) => a.title)).toEqual(['Daylight', 'I Am... Sasha Fierce', 'Nightfall', 'OK Computer']);
    expect(albums.nextCursor).toBeNull();
  });
});

describe('delete', () => {
  it('refuses another user with forbidden, and not_found for what they cannot see', async () => {
    await expect(harness.call(deleteTrackRpc, { id: airbag.id }, asAlice)).rejects.toMatchObject({ code: 'forbidden' });
    await expect(harness.call(deleteTrackRpc, { id: refusedId }, asBob)).rejects.toMatchObject({ code: 'not_found' });
    await expect(harness.call(deleteTrackRpc, { id: randomUUID() }, asBob)).rejects.toMatchObject({
      code: 'not_found',
    });
    await expect(harness.call(deleteTrackRpc, { id: airbag.id })).rejects.toBeInstanceOf(RpcError);
    expect((await harness.call(getTrackRpc, { id: airbag.id })).status).toBe('ready');
  });

  it('lets the owner delete: gone from every query, deletion event published', async () => {
    await harness.call(deleteTrackRpc, { id: airbag.id }, asBob);
    await expect(harness.call(getTrackRpc, { id: airbag.id })).rejects.toMatchObject({ code: 'not_found' });
    const search = await harness.call(searchRpc, { q: 'radiohead' });
    expect(search).toEqual({ tracks: [], albums: [], artists: [] });
    const listed = await harness.call(listTracksRpc, { limit: 100 });
    expect(listed.items.map((t) => t.id)).not.toContain(airbag.id);
    const { bus } = harness.service;
    const stream = await bus.jsm.streams.info(bus.topology.stream('catalog').name);
    const stored = await bus.jsm.streams.getMessage(bus.topology.stream('catalog').name, {
      seq: stream.state.last_seq,
    });
    expect(stored?.json()).toMatchObject({
      type: 'catalog.track.deleted.v1',
      data: { trackId: airbag.id, ownerId: bob.userId, deletedBy: bob.userId },
    });
    await expect(harness.call(deleteTrackRpc, { id: airbag.id }, asBob)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('lets an admin delete any track, even one that failed', async () => {
    await harness.call(deleteTrackRpc, { id: refusedId }, asAdmin);
    await expect(harness.call(getTrackRpc, { id: refusedId }, asAlice)).rejects.toMatchObject({ code: 'not_found' });
    await harness.call(deleteTrackRpc, { id: ladies.id }, asAdmin);
    const album = await harness.call(searchRpc, { q: 'sasha fierce' });
    expect(album.albums[0]).toMatchObject({ trackCount: 1 });
  });

  it('keeps a deleted track deleted when its events are delivered again', async () => {
    await harness.publishAndWait([...halo.events.map((e) => ({ ...e, id: randomUUID() }))]);
    await harness.call(deleteTrackRpc, { id: halo.id }, asAlice);
    const replay = [uploadCompleted(alice.userId, { title: 'Halo', artist: 'Beyoncé' }, halo.id)];
    await harness.publishAndWait(replay);
    await expect(harness.call(getTrackRpc, { id: halo.id }, asAlice)).rejects.toMatchObject({ code: 'not_found' });
  });
});
