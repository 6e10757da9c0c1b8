import { createIsolatedDatabase, type IsolatedDatabase } from '@tonearm/testing';
import type { KnownEvent } from '@tonearm/bus';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CatalogProjector } from '../src/projection/catalog-projector.ts';
import {
  LIVE_SCHEMA,
  migrateCatalogSchema,
  openCatalogDatabase,
  type CatalogDatabase,
} from '../src/repositories/catalog-database.ts';
import { dumpTables } from './support/catalog-tables.ts';
import {
  generateHistory,
  seededRandom,
  shuffled,
  transcodeCompleted,
  uploadCompleted,
} from './support/event-history.ts';

const databases: IsolatedDatabase[] = [];
const opened: CatalogDatabase[] = [];

async function freshProjection(): Promise<{ url: string; database: CatalogDatabase; sut: CatalogProjector }> {
  const isolated = await createIsolatedDatabase({ label: 'catalog' });
  databases.push(isolated);
  await migrateCatalogSchema(isolated.url, LIVE_SCHEMA);
  const database = openCatalogDatabase(isolated.url, { poolSize: 4 });
  opened.push(database);
  return { url: isolated.url, database, sut: new CatalogProjector(database.db) };
}

async function applyConcurrently(sut: CatalogProjector, events: KnownEvent[], workers: number): Promise<void> {
  const queue = [...events];
  await Promise.all(
    Array.from({ length: workers }, async () => {
      for (let event = queue.shift(); event; event = queue.shift()) await sut.apply(event);
    }),
  );
}

let history: KnownEvent[];
let ordered: Awaited<ReturnType<typeof dumpTables>>;

beforeAll(async () => {
  history = generateHistory();
  const { url, sut } = await freshProjection();
  for (const event of history) await sut.apply(event);
  ordered = await dumpTables(url, LIVE_SCHEMA);
});

afterAll(async () => {
  await Promise.all(opened.map((d) => d.close()));
  await Promise.all(databases.map((d) => d.drop()));
});

describe('catalog projection', () => {
  it('projects the ordered history into the expected groupings', () => {
    const artistNames = ordered.artists!.map((row) => JSON.parse(row as string).name).sort();
    expect(artistNames).toEqual([
      'Alice Band',
      'BEYONCE',
      'Daft Punk',
      'Glitch',
      'Nobody Famous',
      'Radiohead',
      'Retry Band',
      'Sigur Ros',
    ]);
    const albumTitles = ordered.albums!.map((row) => JSON.parse(row as string).title).sort();
    expect(albumTitles).toEqual([
      'Beyoncé',
      'Errors',
      'Kid A',
      'OK Computer',
      'Pablo Honey',
      'Random Access Memories',
      'Takk...',
      'i am... sasha fierce',
    ]);
    const statuses = ordered.tracks!.map((row) => JSON.parse(row as string).status).sort();
    expect(statuses.filter((s) => s === 'failed')).toHaveLength(2);
    expect(statuses.filter((s) => s === 'processing')).toHaveLength(1);
    expect(ordered.deleted_tracks).toHaveLength(2);
    expect(ordered.processed_events).toHaveLength(history.length);
  });

  it('gives the same tables when every event is applied twice, shuffled, by concurrent workers', async () => {
    const { url, sut } = await freshProjection();
    const random = seededRandom(20260301);
    await applyConcurrently(sut, shuffled([...history, ...history], random), 4);
    expect(await dumpTables(url, LIVE_SCHEMA)).toEqual(ordered);
  });

  it('gives the same tables for several shuffled orders, one event at a time', async () => {
    for (const seed of [1, 2, 3]) {
      const { url, sut } = await freshProjection();
      for (const event of shuffled(history, seededRandom(seed))) await sut.apply(event);
      expect(await dumpTables(url, LIVE_SCHEMA), `seed ${seed}`).toEqual(ordered);
    }
  });

  it('gives the same tables when projected in shuffled batches of random size, every event twice', async () => {
    for (const seed of [7, 8]) {
      const { url, database } = await freshProjection();
      const sut = new CatalogProjector(database.db);
      const random = seededRandom(seed);
      const events = shuffled([...history, ...history], random);
      while (events.length > 0) await sut.applyBatch(events.splice(0, 1 + Math.floor(random() * 12)));
      expect(await dumpTables(url, LIVE_SCHEMA), `seed ${seed}`).toEqual(ordered);
    }
  });

  it('projects the whole history in one batch like one event at a time', async () => {
    const { url, database } = await freshProjection();
    const outcomes = await new CatalogProjector(database.db).applyBatch([...history, ...history]);
    expect(outcomes.filter((o) => o !== 'duplicate')).toHaveLength(history.length);
    expect(await dumpTables(url, LIVE_SCHEMA)).toEqual(ordered);
  });

  it('puts tracks of one album uploaded in parallel under different spellings on one album and one artist', async () => {
    const { database, sut } = await freshProjection();
    const spellings = ['Sigur Rós', 'SIGUR ROS', 'sigur  ros', 'Sigur Ros feat. Jónsi', 'Sigur Rós (ft. Amiina)'];
    const uploads = Array.from({ length: 15 }, (_, i) =>
      uploadCompleted('6f1c1f5e-6d0b-4a43-9b0a-2b7f3d0c1a12', {
        title: `Track ${i}`,
        artist: spellings[i % spellings.length]!,
        album: i % 2 === 0 ? 'Ágætis byrjun' : 'agaetis  BYRJUN',
        trackNumber: i + 1,
      }),
    );
    await applyConcurrently(sut, uploads, 6);
    const albums = await database.pool.query('SELECT id, title FROM albums');
    const artists = await database.pool.query('SELECT id, name FROM artists');
    expect(albums.rows).toEqual([{ id: expect.any(String), title: 'Ágætis byrjun' }]);
    expect(artists.rows).toEqual([{ id: expect.any(String), name: 'Sigur Rós' }]);
    const grouped = await database.pool.query('SELECT DISTINCT album_id, artist_id FROM tracks');
    expect(grouped.rows).toEqual([{ album_id: albums.rows[0].id, artist_id: artists.rows[0].id }]);
  });

  it('keeps a transcode result that arrives before its upload and merges it when the upload comes', async () => {
    const { database, sut } = await freshProjection();
    const upload = uploadCompleted('6f1c1f5e-6d0b-4a43-9b0a-2b7f3d0c1a11', { title: 'Early', artist: 'Fast' });
    const transcode = transcodeCompleted(upload.data.trackId, 99_000);
    expect(await sut.apply(transcode)).toBe('applied');
    const pending = await database.pool.query('SELECT status FROM tracks WHERE id = $1', [upload.data.trackId]);
    expect(pending.rows).toEqual([{ status: 'pending' }]);
    expect(await sut.apply(upload)).toBe('applied');
    const merged = await database.pool.query('SELECT status, duration_ms FROM tracks WHERE id = $1', [
      upload.data.trackId,
    ]);
    expect(merged.rows).toEqual([{ status: 'ready', duration_ms: 99_000 }]);
    expect(await sut.apply(upload)).toBe('duplicate');
  });
});
