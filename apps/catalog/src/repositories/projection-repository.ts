import { getTableColumns, inArray, sql, type SQL } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { CatalogDb } from './catalog-database.ts';
import {
  albums,
  artists,
  deletedTracks,
  listeningHistory,
  playCounts,
  processedEvents,
  renditions,
  tracks,
  users,
} from './schema.ts';

/** The statements of a transaction on the read model (see `projectionTransaction`). */
export type CatalogTx = Pick<CatalogDb, 'execute' | 'insert' | 'delete' | 'select'>;

/** A stored track row. */
export type TrackRow = typeof tracks.$inferSelect;

/** The fields of a track that its upload outcome decides. */
export type UploadFields = Pick<
  TrackRow,
  | 'ownerId'
  | 'title'
  | 'artistId'
  | 'albumId'
  | 'trackNumber'
  | 'discNumber'
  | 'year'
  | 'genre'
  | 'filename'
  | 'sha256'
  | 'sizeBytes'
  | 'coverKey'
  | 'uploadOutcome'
  | 'uploadRank'
  | 'uploadError'
  | 'createdAt'
  | 'artistCredit'
  | 'artistKey'
  | 'albumCredit'
  | 'albumTitleKey'
  | 'albumArtistId'
  | 'albumArtistCredit'
  | 'albumArtistKey'
>;

/** The fields of a track that its transcode outcome decides. */
export type TranscodeFields = Pick<
  TrackRow,
  | 'transcodeOutcome'
  | 'transcodeRank'
  | 'transcodeError'
  | 'durationMs'
  | 'masterKey'
  | 'waveformKey'
  | 'integratedLufs'
  | 'truePeakDb'
  | 'gainDb'
>;

/** One rung of a stored ladder. */
export type RenditionRow = Omit<typeof renditions.$inferInsert, 'trackId'>;

/** Lock ids: live projections share the swap lock, a rebuild's swap takes it alone. */
export const SWAP_LOCK = 7_210_002;

/** Taken by every live projection transaction: one writer at a time, so set-based refreshes never race. */
export const WRITER_LOCK = 7_210_003;

/**
 * The writes of the projection, set-based: each statement handles every row of a batch. Artists
 * and albums are recomputed from the tracks that credit them (named after their earliest credit
 * by event rank), so the tables depend on the set of events and not on their order or batching.
 */
export class ProjectionRepository {
  readonly tx: CatalogTx;

  constructor(tx: CatalogTx) {
    this.tx = tx;
  }

  /**
   * Records events as applied and reads what the fold needs, in one statement (one round trip):
   * the ids not applied before, which of `trackIds` are tombstoned, and their stored rows.
   */
  async claim(
    rows: (typeof processedEvents.$inferInsert)[],
    trackIds: string[],
  ): Promise<{ fresh: Set<string>; tombstoned: Set<string>; existing: Map<string, TrackRow> }> {
    const ids = uuidArray(trackIds);
    const result = await this.tx.execute<{
      fresh: string[];
      tombstoned: string[];
      tracks: Record<string, unknown>[];
    }>(sql`
      WITH fresh AS (${this.insertStatement(processedEvents, rows, sql`ON CONFLICT DO NOTHING RETURNING ${sql.identifier(processedEvents.eventId.name)} AS id`)})
      SELECT
        (SELECT coalesce(json_agg(f.id), '[]') FROM fresh f) AS fresh,
        (SELECT coalesce(json_agg(d.track_id), '[]') FROM ${deletedTracks} d WHERE d.track_id = ANY(${ids})) AS tombstoned,
        (SELECT coalesce(json_agg(t), '[]') FROM ${tracks} t WHERE t.id = ANY(${ids})) AS tracks`);
    const { fresh, tombstoned, tracks: stored } = result.rows[0]!;
    const existing = new Map<string, TrackRow>();
    for (const json of stored) {
      const row: Record<string, unknown> = {};
      for (const [key, name] of TRACK_COLUMNS) row[key] = json[name] ?? null;
      existing.set(row.id as string, row as TrackRow);
    }
    return { fresh: new Set(fresh), tombstoned: new Set(tombstoned), existing };
  }

  async upsertUsers(rows: (typeof users.$inferInsert)[]): Promise<void> {
    if (rows.length === 0) return;
    await this.tx
      .insert(users)
      .values(rows)
      .onConflictDoUpdate({
        target: users.id,
        set: {
          displayName: sql`CASE WHEN excluded.rank > ${users.rank} THEN excluded.display_name ELSE ${users.displayName} END`,
          roles: sql`CASE WHEN excluded.rank > ${users.rank} THEN excluded.roles ELSE ${users.roles} END`,
          rank: sql`GREATEST(excluded.rank, ${users.rank})`,
        },
      });
  }

  /** Removes tracks with their renditions, plays and history. */
  async removeTracks(trackIds: string[]): Promise<void> {
    if (trackIds.length === 0) return;
    await this.tx.delete(renditions).where(inArray(renditions.trackId, trackIds));
    await this.tx.delete(tracks).where(inArray(tracks.id, trackIds));
    await this.tx.delete(playCounts).where(inArray(playCounts.trackId, trackIds));
    await this.tx.delete(listeningHistory).where(inArray(listeningHistory.trackId, trackIds));
  }

  /**
   * Writes what a batch decided, in one statement (one round trip): tombstones, whole track rows
   * (replacing those that exist), the ladders of `ladders` (each replacing the track's stored one),
   * listening history and added plays. The parts touch disjoint rows, so the order in which
   * Postgres runs them does not matter.
   */
  async writeTracks(changes: {
    tombstones: (typeof deletedTracks.$inferInsert)[];
    tracks: TrackRow[];
    ladders: Map<string, RenditionRow[]>;
    history: (typeof listeningHistory.$inferInsert)[];
    started: Map<string, number>;
  }): Promise<void> {
    const parts: SQL[] = [];
    const add = <T extends PgTable>(table: T, rows: T['$inferInsert'][], onConflict: SQL) => {
      if (rows.length > 0) parts.push(this.insertStatement(table, rows, onConflict));
    };
    add(deletedTracks, changes.tombstones, sql`ON CONFLICT DO NOTHING`);
    add(tracks, changes.tracks, sql`ON CONFLICT (id) DO UPDATE SET ${excludedSet(tracks, ['id'])}`);
    if (changes.ladders.size > 0) {
      const rungs = [...changes.ladders].flatMap(([trackId, ladder]) => ladder.map((r) => ({ ...r, trackId })));
      // Rungs no longer in their ladder go and the others are upserted: a delete and an insert of
      // one key in the same statement could run in either order.
      const stored = JSON.stringify(this.records(renditions, rungs));
      parts.push(sql`DELETE FROM ${renditions} r WHERE r.track_id = ANY(${uuidArray([...changes.ladders.keys()])})
        AND NOT EXISTS (SELECT 1 FROM json_populate_recordset(NULL::${renditions}, ${stored}::json) n
          WHERE n.track_id = r.track_id AND n.name = r.name)`);
      add(
        renditions,
        rungs,
        sql`ON CONFLICT (track_id, name) DO UPDATE SET ${excludedSet(renditions, ['track_id', 'name'])}`,
      );
    }
    add(listeningHistory, changes.history, sql`ON CONFLICT DO NOTHING`);
    add(
      playCounts,
      [...changes.started].map(([trackId, plays]) => ({ trackId, plays })),
      sql`ON CONFLICT (track_id) DO UPDATE SET plays = ${playCounts}.plays + excluded.plays`,
    );
    await this.executeTogether(parts);
  }

  /**
   * Names each album after its earliest track and each artist after their earliest credit, and
   * removes those nothing credits any more, in one statement (one round trip; each part touches
   * its own rows). Runs after the tracks are written: a statement sees the tracks as they were
   * when it began.
   */
  async refreshAlbumsAndArtists(albumIds: string[], artistIds: string[]): Promise<void> {
    const parts: SQL[] = [];
    if (albumIds.length > 0) {
      const ids = uuidArray(albumIds);
      parts.push(
        sql`INSERT INTO ${albums} (id, title, title_key, artist_id, year, cover_key, rank)
      SELECT DISTINCT ON (t.album_id) t.album_id, t.album_credit, t.album_title_key, t.album_artist_id, t.year,
        t.cover_key, t.upload_rank
      FROM ${tracks} t WHERE t.album_id = ANY(${ids})
      ORDER BY t.album_id, t.upload_rank
      ON CONFLICT (id) DO UPDATE SET title = excluded.title, year = excluded.year, cover_key = excluded.cover_key,
        rank = excluded.rank`,
        sql`DELETE FROM ${albums} a WHERE a.id = ANY(${ids})
      AND NOT EXISTS (SELECT 1 FROM ${tracks} t WHERE t.album_id = a.id)`,
      );
    }
    if (artistIds.length > 0) {
      const ids = uuidArray(artistIds);
      parts.push(
        sql`INSERT INTO ${artists} (id, name, name_key, rank)
      SELECT DISTINCT ON (credits.id) credits.id, credits.name, credits.name_key, credits.rank FROM (
        SELECT t.artist_id AS id, t.artist_credit AS name, t.artist_key AS name_key, t.upload_rank AS rank
        FROM ${tracks} t WHERE t.artist_id = ANY(${ids})
        UNION ALL
        SELECT t.album_artist_id, t.album_artist_credit, t.album_artist_key, t.upload_rank
        FROM ${tracks} t WHERE t.album_artist_id = ANY(${ids})
      ) credits
      ORDER BY credits.id, credits.rank, credits.name
      ON CONFLICT (id) DO UPDATE SET name = excluded.name, rank = excluded.rank`,
        sql`DELETE FROM ${artists} a WHERE a.id = ANY(${ids})
      AND NOT EXISTS (SELECT 1 FROM ${tracks} t WHERE t.artist_id = a.id OR t.album_artist_id = a.id)`,
      );
    }
    await this.executeTogether(parts);
  }

  /** Runs data-modifying statements as one (one round trip): all but the last in `WITH`, all on one snapshot. */
  private async executeTogether(parts: SQL[]): Promise<void> {
    if (parts.length === 0) return;
    const head = parts.slice(0, -1).map((part, i) => sql`${sql.identifier(`w${i}`)} AS (${part})`);
    const last = parts.at(-1)!;
    await this.tx.execute(head.length > 0 ? sql`WITH ${sql.join(head, sql`, `)} ${last}` : last);
  }

  /**
   * An INSERT of rows passed as one JSON parameter, expanded by `json_populate_recordset`: one
   * parameter whatever the row count, serialised by `JSON.stringify` (drizzle's multi-row
   * `values()` spends hundreds of milliseconds building a 500-row statement, and array
   * parameters cost pg as much in escaping).
   */
  private insertStatement<T extends PgTable>(table: T, rows: T['$inferInsert'][], onConflict: SQL): SQL {
    const names = sql.join(
      Object.values(getTableColumns(table)).map((column) => sql.identifier(column.name)),
      sql`, `,
    );
    const json = JSON.stringify(this.records(table, rows));
    return sql`INSERT INTO ${table} (${names}) SELECT ${names} FROM json_populate_recordset(NULL::${table}, ${json}::json) ${onConflict}`;
  }

  /** Rows keyed by column name, every column present. */
  private records<T extends PgTable>(table: T, rows: T['$inferInsert'][]): Record<string, unknown>[] {
    const columns = Object.entries(getTableColumns(table)).map(([key, column]) => [key, column.name] as const);
    return rows.map((row) => {
      const record: Record<string, unknown> = {};
      for (const [key, name] of columns) record[name] = (row as Record<string, unknown>)[key] ?? null;
      return record;
    });
  }
}

/** `column = excluded.column` for every column of a table but those of `except`. */
function excludedSet(table: PgTable, except: string[]): SQL {
  const set = Object.values(getTableColumns(table))
    .filter((column) => !except.includes(column.name))
    .map((column) => sql`${sql.identifier(column.name)} = excluded.${sql.identifier(column.name)}`);
  return sql.join(set, sql`, `);
}

/** The track columns by property and by stored name, to read rows that arrive as JSON. */
const TRACK_COLUMNS = Object.entries(getTableColumns(tracks)).map(([key, column]) => [key, column.name] as const);

/** Ids as one `uuid[]` parameter (a Postgres array literal; ids never hold commas or braces). */
function uuidArray(ids: string[]): SQL {
  return sql`${`{${ids.join(',')}}`}::uuid[]`;
}
