import { createIsolatedDatabase, type IsolatedDatabase } from '@tonearm/testing';
import { listTracksRpc } from '@tonearm/contracts';
import type { KnownEvent } from '@tonearm/bus';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CatalogProjector } from '../src/projection/catalog-projector.ts';
import { rebuildProjection, type RebuildPhase } from '../src/projection/projection-rebuild.ts';
import { LIVE_SCHEMA, migrateCatalogSchema, openCatalogDatabase } from '../src/repositories/catalog-database.ts';
import { dumpTables } from './support/catalog-tables.ts';
import { startCatalogHarness, type CatalogHarness } from './support/catalog-harness.ts';
import {
  generateHistory,
  makeEvent,
  registeredUser,
  transcodeCompleted,
  uploadCompleted,
} from './support/event-history.ts';

let harness: CatalogHarness;
const references: IsolatedDatabase[] = [];

/** The tables one ordered pass of the events gives, in a database of its own. */
async function orderedProjection(events: KnownEvent[]) {
  const reference = await createIsolatedDatabase({ label: 'catalog_ref' });
  references.push(reference);
  await migrateCatalogSchema(reference.url, LIVE_SCHEMA);
  const database = openCatalogDatabase(reference.url, { poolSize: 1 });
  const projector = new CatalogProjector(database.db);
  for (const event of events) await projector.apply(event);
  await database.close();
  return dumpTables(reference.url, LIVE_SCHEMA);
}

/** Every index of the live schema, the ones a rebuild drops while replaying included. */
async function indexDefinitions(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ indexdef: string }>(
      'SELECT indexdef FROM pg_indexes WHERE schemaname = $1 ORDER BY indexname',
      [LIVE_SCHEMA],
    );
    return rows.map((r) => r.indexdef);
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  harness = await startCatalogHarness('catalog-rb');
});

afterAll(async () => {
  await harness?.stop();
  await Promise.all(references.map((r) => r.drop()));
});

describe('rebuild', () => {
  it('projects live, in batches from the bus, the tables of one ordered pass; a rebuild gives them again', async () => {
    const history = generateHistory();
    await harness.publishAndWait(history);
    const live = await dumpTables(harness.database.url, LIVE_SCHEMA);
    expect(live).toEqual(await orderedProjection(history));
    const indexesBefore = await indexDefinitions(harness.database.url);
    const report = await rebuildProjection({
      databaseUrl: harness.database.url,
      bus: harness.service.bus,
      logger: harness.service.logger,
      batchSize: 7,
    });
    expect(report.events).toBe(live.processed_events!.length);
    expect(await dumpTables(harness.database.url, LIVE_SCHEMA)).toEqual(live);
    expect(await indexDefinitions(harness.database.url)).toEqual(indexesBefore);
  });

  it('keeps serving the old tables during the rebuild and loses no event that arrives meanwhile', async () => {
    const before = await harness.call(listTracksRpc, { limit: 100 });
    const newcomer = registeredUser('Newcomer');
    const duringPass = uploadCompleted(newcomer.userId, {
      title: 'During The Pass',
      artist: 'Radiohead',
      album: 'Kid A',
    });
    const whileLocked = [
      transcodeCompleted(duringPass.data.trackId),
      makeEvent('playback.started.v1', {
        trackId: duringPass.data.trackId,
        userId: newcomer.userId,
        sessionId: 's-1',
        positionMs: 0,
      }),
    ];
    const servedDuringRebuild: number[] = [];
    const phases: RebuildPhase[] = [];
    await rebuildProjection({
      databaseUrl: harness.database.url,
      bus: harness.service.bus,
      logger: harness.service.logger,
      async onPhase(phase) {
        phases.push(phase);
        if (phase === 'initial-pass-done') {
          servedDuringRebuild.push((await harness.call(listTracksRpc, { limit: 100 })).items.length);
          await harness.publishAndWait([newcomer.event, duringPass]);
          servedDuringRebuild.push((await harness.call(listTracksRpc, { limit: 100 }, null)).items.length);
        }
        if (phase === 'locked') {
          for (const event of whileLocked) await harness.service.bus.publishEvent(event);
        }
      },
    });
    expect(phases).toEqual(['initial-pass-done', 'locked', 'swapped']);
    expect(servedDuringRebuild).toEqual([before.items.length, before.items.length]);
    await harness.publishAndWait(whileLocked);
    const { bus } = harness.service;
    const everything: KnownEvent[] = [];
    for (const key of ['identity', 'ingest', 'transcode', 'catalog', 'playback'] as const) {
      const name = bus.topology.stream(key).name;
      const { state } = await bus.jsm.streams.info(name);
      for (let seq = state.first_seq; seq <= state.last_seq; seq++) {
        const stored = await bus.jsm.streams.getMessage(name, { seq });
        if (stored) everything.push(stored.json<KnownEvent>());
      }
    }
    expect(everything.map((e) => e.id)).toEqual(
      expect.arrayContaining([duringPass.id, ...whileLocked.map((e) => e.id)]),
    );
    const expected = await orderedProjection(everything);
    expect(await dumpTables(harness.database.url, LIVE_SCHEMA)).toEqual(expected);
    const after = await harness.call(listTracksRpc, { limit: 100 });
    expect(after.items.map((t) => t.id)).toContain(duringPass.data.trackId);
  });
});
