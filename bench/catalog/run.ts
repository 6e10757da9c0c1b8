/**
 * Catalog projection benchmark. Prints projected events per second against a baseline measured
 * in the same run: batched raw multi-row INSERTs of exactly the rows the projection produced.
 *
 * 1. rebuild: every event read back from JetStream (ordered consumers) and projected in merged
 *    batches into a shadow schema, its indexes built, then swapped in (`npm run rebuild`'s path);
 * 2. live: the service's own consumers (`startProjectionConsumers`: `consumeBatches` on the five
 *    durable catalog consumers, the live `CatalogProjector` with its locks) project every event
 *    from JetStream into an empty read model, timed until `processed_events` holds them all
 *    (polled every 50 ms); each round recreates the durables so they deliver everything again;
 * 3. baseline: the rows of every table of the result, inserted 500 rows per INSERT statement.
 *
 * Needs NATS and Postgres. Usage: `node bench/catalog/run.ts [--tracks 2500] [--rounds 5]`; the
 * machine is shared, so the three alternate in each round and the medians are compared.
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { connectBus, provisionTopology, type Bus, type KnownEvent } from '@tonearm/bus';
import { createLogger } from '@tonearm/runtime';
import { createIsolatedDatabase, isolatedNamespace, serviceUrls, type IsolatedDatabase } from '@tonearm/testing';
import pg from 'pg';
import { catalogEnvShape } from '../../apps/catalog/src/config/catalog-env.ts';
import { startProjectionConsumers } from '../../apps/catalog/src/consumers/projection-consumers.ts';
import { CatalogProjector } from '../../apps/catalog/src/projection/catalog-projector.ts';
import { CATALOG_CONSUMERS } from '../../apps/catalog/src/projection/projection-metrics.ts';
import { rebuildProjection } from '../../apps/catalog/src/projection/projection-rebuild.ts';
import {
  LIVE_SCHEMA,
  migrateCatalogSchema,
  openCatalogDatabase,
} from '../../apps/catalog/src/repositories/catalog-database.ts';
import {
  makeEvent,
  registeredUser,
  transcodeCompleted,
  uploadCompleted,
} from '../../apps/catalog/test/support/event-history.ts';

const { values: args } = parseArgs({
  options: {
    tracks: { type: 'string', default: '2500' },
    rounds: { type: 'string', default: '5' },
    batch: { type: 'string', default: String(catalogEnvShape.CATALOG_PROJECTOR_BATCH.parse(undefined)) },
  },
});
const trackCount = Number(args.tracks);
const rounds = Number(args.rounds);
const ROWS_PER_INSERT = 500;

function history(): KnownEvent[] {
  const users = Array.from({ length: 20 }, (_, i) => registeredUser(`User ${i}`));
  const events: KnownEvent[] = users.map((u) => u.event);
  for (let i = 0; i < trackCount; i++) {
    const owner = users[i % users.length]!.userId;
    const artist = `Artist ${Math.floor(i / 10)}`;
    const upload = uploadCompleted(owner, {
      title: `Track ${i}`,
      artist: i % 3 === 0 ? `${artist.toUpperCase()} feat. Guest ${i}` : artist,
      album: `Album ${Math.floor(i / 5)}`,
      trackNumber: (i % 5) + 1,
    });
    const trackId = upload.data.trackId;
    const listener = users[(i + 1) % users.length]!.userId;
    events.push(
      upload,
      transcodeCompleted(trackId),
      makeEvent('playback.started.v1', { trackId, userId: listener, sessionId: `s-${i}`, positionMs: 0 }),
      makeEvent('playback.finished.v1', { trackId, userId: listener, sessionId: `s-${i}`, positionMs: 180_000 }),
    );
  }
  return events;
}

async function timed<T>(work: () => Promise<T>): Promise<{ result: T; seconds: number }> {
  const started = process.hrtime.bigint();
  const result = await work();
  return { result, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

async function tableRows(url: string): Promise<Map<string, Record<string, unknown>[]>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const tables = await client.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_name <> '__drizzle_migrations'`,
      [LIVE_SCHEMA],
    );
    const rows = new Map<string, Record<string, unknown>[]>();
    for (const { table_name: table } of tables.rows) {
      rows.set(table, (await client.query(`SELECT * FROM ${LIVE_SCHEMA}.${pg.escapeIdentifier(table)}`)).rows);
    }
    return rows;
  } finally {
    await client.end();
  }
}

async function rawInserts(url: string, rows: Map<string, Record<string, unknown>[]>): Promise<number> {
  const client = new pg.Client({ connectionString: url, options: `-c search_path=${LIVE_SCHEMA},public` });
  await client.connect();
  let inserted = 0;
  try {
    for (const [table, tableRowsList] of rows) {
      if (tableRowsList.length === 0) continue;
      const columns = Object.keys(tableRowsList[0]!);
      for (let start = 0; start < tableRowsList.length; start += ROWS_PER_INSERT) {
        const chunk = tableRowsList.slice(start, start + ROWS_PER_INSERT);
        const values: unknown[] = [];
        const tuples = chunk.map((row) => {
          const slots = columns.map((column) => {
            values.push(row[column]);
            return `$${values.length}`;
          });
          return `(${slots.join(', ')})`;
        });
        await client.query(
          `INSERT INTO ${pg.escapeIdentifier(table)} (${columns.map((c) => pg.escapeIdentifier(c)).join(', ')}) VALUES ${tuples.join(', ')}`,
          values,
        );
        inserted += chunk.length;
      }
    }
  } finally {
    await client.end();
  }
  return inserted;
}

/** Recreates the durable catalog consumers, so they deliver every stored event again. */
async function resetConsumers(bus: Bus): Promise<void> {
  for (const key of CATALOG_CONSUMERS) {
    const { streamName, durable } = bus.topology.consumer(key);
    await bus.jsm.consumers.delete(streamName, durable).catch(() => undefined);
  }
  await provisionTopology(bus);
}

/** Runs the live consumers into an empty read model until every event is projected. */
async function liveProjection(bus: Bus, url: string, expected: number): Promise<void> {
  const live = openCatalogDatabase(url, { poolSize: 4 });
  const consumers = startProjectionConsumers(bus, new CatalogProjector(live.db), Number(args.batch));
  try {
    for (;;) {
      const { rows } = await live.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM processed_events');
      if (rows[0]!.n >= expected) return;
      await sleep(50);
    }
  } finally {
    await consumers.stop();
    await live.close();
  }
}

const logger = createLogger({ service: 'bench-catalog', instanceId: 'bench', level: 'warn' });
const databases: IsolatedDatabase[] = [];
const fresh = async (label: string) => {
  const database = await createIsolatedDatabase({ label });
  databases.push(database);
  await migrateCatalogSchema(database.url, LIVE_SCHEMA);
  return database;
};
const bus = await connectBus({
  url: serviceUrls().natsUrl,
  namespace: isolatedNamespace('bench-catalog'),
  name: 'bench-catalog',
  logger,
});
try {
  await provisionTopology(bus);
  const events = history();
  for (const event of events) await bus.publishEvent(event);
  console.log(`catalog projection: ${events.length} events (${trackCount} tracks), Postgres and NATS on this machine`);

  const rebuildSeconds: number[] = [];
  const replaySeconds: number[] = [];
  const indexSeconds: number[] = [];
  const liveSeconds: number[] = [];
  const baselineSeconds: number[] = [];
  let rowCount = 0;
  for (let round = 0; round < rounds; round++) {
    const rebuilt = await fresh('bench_rebuild');
    const rebuild = await timed(() => rebuildProjection({ databaseUrl: rebuilt.url, bus, logger }));
    rebuildSeconds.push(rebuild.seconds);
    replaySeconds.push(rebuild.result.phasesMs.firstPass / 1000);
    indexSeconds.push(rebuild.result.phasesMs.indexes / 1000);
    const rows = await tableRows(rebuilt.url);
    const baselineDb = await fresh('bench_raw');
    const baseline = await timed(() => rawInserts(baselineDb.url, rows));
    baselineSeconds.push(baseline.seconds);
    rowCount = baseline.result;
    await resetConsumers(bus);
    const liveDb = await fresh('bench_live');
    liveSeconds.push((await timed(() => liveProjection(bus, liveDb.url, events.length))).seconds);
    await Promise.all(databases.splice(0).map((d) => d.drop()));
  }

  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const rate = (seconds: number) => events.length / seconds;
  const baselineRate = rate(median(baselineSeconds));
  const line = (label: string, seconds: number) =>
    console.log(
      `${label.padEnd(62)} ${rate(seconds).toFixed(0).padStart(7)} events/s  (${seconds.toFixed(2)} s)  ratio ${(rate(seconds) / baselineRate).toFixed(2)}x`,
    );
  console.log(`medians of ${rounds} rounds, each round: rebuild, baseline, live on fresh databases`);
  console.log(
    `${'baseline: raw INSERTs of the same rows, 500 per statement'.padEnd(62)} ${baselineRate.toFixed(0).padStart(7)} events/s  (${median(baselineSeconds).toFixed(2)} s, ${rowCount} rows)`,
  );
  line('rebuild: from JetStream, merged batches, indexes, swap', median(rebuildSeconds));
  line('  of which the replay (stream reads + projection)', median(replaySeconds));
  console.log(
    `${'  of which building the deferred indexes'.padEnd(62)} ${median(indexSeconds).toFixed(2).padStart(7)} s`,
  );
  line(`live: the service consumers, consumeBatches, ${args.batch} per batch`, median(liveSeconds));
  // Each round's own ratio (its baseline ran seconds before): on a shared machine this pairing
  // shows the spread that the medians above hide.
  const perRound = (seconds: number[]) =>
    seconds
      .map((s, i) => (baselineSeconds[i]! / s).toFixed(2))
      .sort()
      .join(' ');
  console.log(`ratio per round, sorted: rebuild ${perRound(rebuildSeconds)}; live ${perRound(liveSeconds)}`);
  console.log('target: projection >= 0.5x the baseline');
  console.log(
    `load average (1, 5, 15 min): ${loadavg()
      .map((l) => l.toFixed(2))
      .join(', ')}`,
  );
} finally {
  await Promise.all(databases.map((d) => d.drop()));
  for (const stream of bus.topology.streams) await bus.jsm.streams.delete(stream.name).catch(() => undefined);
  await bus.jsm.streams.delete(`KV_${bus.topology.settingsBucket}`).catch(() => undefined);
  await bus.close();
}
