import { DeliverPolicy } from '@nats-io/jetstream';
import { validateEvent, type Bus, type KnownEvent } from '@tonearm/bus';
import type { Logger } from '@tonearm/runtime';
import pg from 'pg';
import {
  LIVE_SCHEMA,
  migrateCatalogSchema,
  openCatalogDatabase,
  SHADOW_SCHEMA,
} from '../repositories/catalog-database.ts';
import { createIndexes, dropSecondaryIndexes } from '../repositories/deferred-indexes.ts';
import { SWAP_LOCK } from '../repositories/projection-repository.ts';
import { CatalogProjector } from './catalog-projector.ts';
import { mergedBatchWriter } from './merged-batch-writer.ts';
import { CATALOG_CONSUMERS } from './projection-metrics.ts';

/** Indexes the projection itself reads through (refreshes by album and artist, deletions); kept while replaying. */
const LOOKUP_INDEXES = [
  'tracks_album_idx',
  'tracks_artist_idx',
  'tracks_album_artist_idx',
  'listening_history_track_idx',
];

/** Where a rebuild is; tests and operators can watch (and act) at each step. */
export type RebuildPhase = 'initial-pass-done' | 'locked' | 'swapped';

/** What a rebuild did. */
export interface RebuildReport {
  events: number;
  streams: Record<string, number>;
  durationMs: number;
  /**
   * Milliseconds spent preparing the shadow schema, in the first pass, building its secondary
   * indexes, and under the lock (catch-up and swap).
   */
  phasesMs: { prepare: number; firstPass: number; indexes: number; locked: number };
}

/** How to rebuild. */
export interface RebuildOptions {
  databaseUrl: string;
  bus: Bus;
  logger: Logger;
  /** Events per transaction while replaying. Default 1000. */
  batchSize?: number;
  onPhase?: (phase: RebuildPhase) => Promise<void> | void;
}

/**
 * Rebuilds the read model from the streams while the service keeps serving the old one:
 *
 * 1. migrates an empty shadow schema, drops its secondary indexes, and replays every catalog
 *    stream into it from its first message up to the last one stored when the pass began
 *    (ordered consumers, all streams read at once, their batches merged into one set-based
 *    transaction: see {@link mergedBatchWriter} and {@link CatalogProjector}), then builds the
 *    indexes once;
 * 2. takes the swap lock exclusively: it waits for live projections in flight to commit and holds
 *    new ones back (each live projection transaction starts by taking it shared);
 * 3. catches up: replays what was stored since the first pass, up to the stream's end now;
 * 4. swaps the schemas by renaming them in one transaction, drops the old one, releases the lock.
 *
 * Live consumers lose nothing: an event they committed before step 2 is in the stream up to the
 * catch-up's end, so the shadow has it; an event they have not committed is still unacknowledged,
 * and its transaction, once let through, resolves its tables in the new schema, where the
 * `processed_events` check drops it if the catch-up already applied it.
 *
 * @example
 * await rebuildProjection({ databaseUrl, bus, logger });
 */
export async function rebuildProjection(options: RebuildOptions): Promise<RebuildReport> {
  const started = Date.now();
  const { databaseUrl, bus, logger } = options;
  const batchSize = options.batchSize ?? 1000;
  const phasesMs = { prepare: 0, firstPass: 0, indexes: 0, locked: 0 };
  let mark = performance.now();
  const lap = (phase: keyof typeof phasesMs) => {
    phasesMs[phase] = Math.round(performance.now() - mark);
    mark = performance.now();
  };
  await dropSchema(databaseUrl, SHADOW_SCHEMA);
  await migrateCatalogSchema(databaseUrl, SHADOW_SCHEMA);
  const lockClient = new pg.Client({ connectionString: databaseUrl });
  await lockClient.connect();
  const deferred = await dropSecondaryIndexes(lockClient, SHADOW_SCHEMA, LOOKUP_INDEXES).catch(
    async (error: unknown) => {
      await lockClient.end();
      throw error;
    },
  );
  lap('prepare');
  const shadow = openCatalogDatabase(databaseUrl, { schemaName: SHADOW_SCHEMA, poolSize: 2 });
  const projector = new CatalogProjector(shadow.db, { target: 'shadow' });
  const streams = [...new Set(CATALOG_CONSUMERS.map((key) => bus.topology.consumer(key).streamName))];
  const positions = new Map(streams.map((name) => [name, 0]));
  const counts: Record<string, number> = Object.fromEntries(streams.map((name) => [name, 0]));
  // Streams are read at once; their batches are merged and written one write at a time (the only writer).
  const replayAll = async () => {
    const writer = mergedBatchWriter(streams.length, (events) => projector.applyBatch(events));
    const reads = Promise.all(
      streams.map(async (stream) => {
        try {
          const { state } = await bus.jsm.streams.info(stream);
          const from = Math.max(positions.get(stream)! + 1, state.first_seq);
          const last = await replayStream(bus, stream, from, state.last_seq, batchSize, (events) => {
            counts[stream]! += events.length;
            return writer.hand(events);
          });
          positions.set(stream, Math.max(positions.get(stream)!, last));
        } finally {
          writer.done();
        }
      }),
    );
    await reads;
    await writer.flushed();
  };
  try {
    await replayAll();
    lap('firstPass');
    await createIndexes(lockClient, deferred);
    lap('indexes');
    logger.info({ counts }, 'rebuild: first pass done');
    await options.onPhase?.('initial-pass-done');
    await lockClient.query('SELECT pg_advisory_lock($1)', [SWAP_LOCK]);
    mark = performance.now();
    try {
      await options.onPhase?.('locked');
      await replayAll();
      await swapSchemas(lockClient);
      lap('locked');
    } finally {
      await lockClient.query('SELECT pg_advisory_unlock($1)', [SWAP_LOCK]);
    }
    await options.onPhase?.('swapped');
  } finally {
    await lockClient.end();
    await shadow.close();
  }
  const events = Object.values(counts).reduce((a, b) => a + b, 0);
  const report = { events, streams: counts, durationMs: Date.now() - started, phasesMs };
  logger.info(report, 'rebuild: swapped in the new read model');
  return report;
}

/**
 * Hands every event of a stream from `from` to at least `to` to `apply`, in order and in batches.
 * Answers the last sequence read.
 */
export async function replayStream(
  bus: Bus,
  stream: string,
  from: number,
  to: number,
  batchSize: number,
  apply: (events: KnownEvent[]) => Promise<void>,
): Promise<number> {
  let last = from - 1;
  if (to < from) return last;
  const consumer = await bus.js.consumers.get(stream, {
    deliver_policy: DeliverPolicy.StartSequence,
    opt_start_seq: from,
  });
  // A deep pull buffer: the next messages arrive while the current batch is written to Postgres.
  const messages = await consumer.consume({ max_messages: Math.max(2 * batchSize, 1000) });
  let events: KnownEvent[] = [];
  try {
    for await (const msg of messages) {
      last = msg.seq;
      const event = parseEvent(msg.data);
      if (event) events.push(event);
      const done = msg.seq >= to || msg.info.pending === 0;
      if (events.length >= batchSize || (done && events.length > 0)) {
        await apply(events);
        events = [];
      }
      if (done) break;
    }
  } finally {
    messages.stop();
    await consumer.delete().catch(() => undefined);
  }
  return last;
}

function parseEvent(data: Uint8Array): KnownEvent | undefined {
  try {
    return validateEvent(JSON.parse(new TextDecoder().decode(data))) as KnownEvent;
  } catch {
    // The live consumers dead-letter what does not parse, so the projection never saw it either.
    return undefined;
  }
}

async function dropSchema(url: string, schemaName: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(schemaName)} CASCADE`);
  } finally {
    await client.end();
  }
}

async function swapSchemas(client: pg.Client): Promise<void> {
  const retired = `${LIVE_SCHEMA}_retired`;
  await client.query('BEGIN');
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(retired)} CASCADE`);
    const live = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [LIVE_SCHEMA]);
    if (live.rowCount) {
      await client.query(`ALTER SCHEMA ${pg.escapeIdentifier(LIVE_SCHEMA)} RENAME TO ${pg.escapeIdentifier(retired)}`);
    }
    await client.query(
      `ALTER SCHEMA ${pg.escapeIdentifier(SHADOW_SCHEMA)} RENAME TO ${pg.escapeIdentifier(LIVE_SCHEMA)}`,
    );
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
  await client.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(retired)} CASCADE`);
}
