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

/** A transaction on the read model. */
export type CatalogTx = Parameters<Parameters<CatalogDb['transaction']>[0]>[0];

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
   * Live projections take turns: waits while a rebuild swaps schemas (later statements then
   * resolve to the new tables), then for the other writers.
   */
  async enterLiveProjection(): Promise<void> {
    await this.tx.execute(sql`SELECT pg_advisory_xact_lock_shared(${SWAP_LOCK})`);
    await this.tx.execute(sql`SELECT pg_advisory_xact_lock(${WRITER_LOCK})`);
  }

  /** A rebuild's shadow needs no durable commits: the swap's own commit flushes everything before it. */
  async relaxDurability(): Promise<void> {
    await this.tx.execute(sql`SET LOCAL synchronous_commit = off`);
  }

  /** Records events as applied; answers the ids that were not applied before. */
  async markProcessed(rows: (typeof processedEvents.$inferInsert)[]): Promise<Set<string>> {
    const inserted = await this.insertChunks(
      processedEvents,
      rows,
      sql`ON CONFLICT DO NOTHING RETURNING ${sql.identifier(processedEvents.eventId.name)} AS id`,
    );
    return new Set(inserted.map((row) => row.id as string));
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

  async tombstonedAmong(trackIds: string[]): Promise<Set<string>> {
    if (trackIds.length === 0) return new Set();
    const rows = await this.tx
      .select({ id: deletedTracks.trackId })
      .from(deletedTracks)
      .where(sql`${deletedTracks.trackId} = ANY(${uuidArray(trackIds)})`);
    return new Set(rows.map((r) => r.id));
  }

  async tracksAmong(trackIds: string[]): Promise<Map<string, TrackRow>> {
    if (trackIds.length === 0) return new Map();
    const rows = await this.tx
      .select()
      .from(tracks)
      .where(sql`${tracks.id} = ANY(${uuidArray(trackIds)})`);
    return new Map(rows.map((row) => [row.id, row]));
  }

  async insertTombstones(rows: (typeof deletedTracks.$inferInsert)[]): Promise<void> {
    await this.insertChunks(deletedTracks, rows, sql`ON CONFLICT DO NOTHING`);
  }

  /** Removes tracks with their renditions, plays and history. */
  async removeTracks(trackIds: string[]): Promise<void> {
    if (trackIds.length === 0) return;
    await this.tx.delete(renditions).where(inArray(renditions.trackId, trackIds));
    await this.tx.delete(tracks).where(inArray(tracks.id, trackIds));
    await this.tx.delete(playCounts).where(inArray(playCounts.trackId, trackIds));
    await this.tx.delete(listeningHistory).where(inArray(listeningHistory.trackId, trackIds));
  }

  /** Writes whole track rows, replacing those that exist. */
  async upsertTracks(rows: TrackRow[]): Promise<void> {
    const set = Object.values(getTableColumns(tracks))
      .filter((column) => column.name !== 'id')
      .map((column) => sql`${sql.identifier(column.name)} = excluded.${sql.identifier(column.name)}`);
    await this.insertChunks(tracks, rows, sql`ON CONFLICT (id) DO UPDATE SET ${sql.join(set, sql`, `)}`);
  }

  async replaceRenditions(ladders: Map<string, RenditionRow[]>): Promise<void> {
    if (ladders.size === 0) return;
    await this.tx.delete(renditions).where(sql`${renditions.trackId} = ANY(${uuidArray([...ladders.keys()])})`);
    const rows = [...ladders].flatMap(([trackId, ladder]) => ladder.map((r) => ({ ...r, trackId })));
    await this.insertChunks(renditions, rows, sql``);
  }

  async recordPlaybacks(
    history: (typeof listeningHistory.$inferInsert)[],
    started: Map<string, number>,
  ): Promise<void> {
    await this.insertChunks(listeningHistory, history, sql`ON CONFLICT DO NOTHING`);
    const counts = [...started].map(([trackId, plays]) => ({ trackId, plays }));
    await this.insertChunks(
      playCounts,
      counts,
      sql`ON CONFLICT (track_id) DO UPDATE SET plays = ${playCounts}.plays + excluded.plays`,
    );
  }

  /** Names each album after its earliest track, and removes albums no track is on any more. */
  async refreshAlbums(albumIds: string[]): Promise<void> {
    if (albumIds.length === 0) return;
    const ids = uuidArray(albumIds);
    await this.tx.execute(sql`
      INSERT INTO ${albums} (id, title, title_key, artist_id, year, cover_key, rank)
      SELECT DISTINCT ON (t.album_id) t.album_id, t.album_credit, t.album_title_key, t.album_artist_id, t.year,
        t.cover_key, t.upload_rank
      FROM ${tracks} t WHERE t.album_id = ANY(${ids})
      ORDER BY t.album_id, t.upload_rank
      ON CONFLICT (id) DO UPDATE SET title = excluded.title, year = excluded.year, cover_key = excluded.cover_key,
        rank = excluded.rank`);
    await this.tx.execute(sql`DELETE FROM ${albums} a WHERE a.id = ANY(${ids})
      AND NOT EXISTS (SELECT 1 FROM ${tracks} t WHERE t.album_id = a.id)`);
  }

  /** Names each artist after their earliest credit, and removes artists nothing credits any more. */
  async refreshArtists(artistIds: string[]): Promise<void> {
    if (artistIds.length === 0) return;
    const ids = uuidArray(artistIds);
    await this.tx.execute(sql`
      INSERT INTO ${artists} (id, name, name_key, rank)
      SELECT DISTINCT ON (credits.id) credits.id, credits.name, credits.name_key, credits.rank FROM (
        SELECT t.artist_id AS id, t.artist_credit AS name, t.artist_key AS name_key, t.upload_rank AS rank
        FROM ${tracks} t WHERE t.artist_id = ANY(${ids})
        UNION ALL
        SELECT t.album_artist_id, t.album_artist_credit, t.album_artist_key, t.upload_rank
        FROM ${tracks} t WHERE t.album_artist_id = ANY(${ids})
      ) credits
      ORDER BY credits.id, credits.rank, credits.name
      ON CONFLICT (id) DO UPDATE SET name = excluded.name, rank = excluded.rank`);
    await this.tx.execute(sql`DELETE FROM ${artists} a WHERE a.id = ANY(${ids})
      AND NOT EXISTS (SELECT 1 FROM ${tracks} t WHERE t.artist_id = a.id OR t.album_artist_id = a.id)`);
  }

  /**
   * Inserts rows passed as one JSON parameter, expanded by `json_populate_recordset`: one
   * parameter whatever the row count, serialised by `JSON.stringify` (drizzle's multi-row
   * `values()` spends hundreds of milliseconds building a 500-row statement, and array
   * parameters cost pg as much in escaping).
   */
  private async insertChunks<T extends PgTable>(
    table: T,
    rows: T['$inferInsert'][],
    onConflict: SQL,
  ): Promise<Record<string, unknown>[]> {
    if (rows.length === 0) return [];
    const columns = Object.entries(getTableColumns(table)).map(([key, column]) => [key, column.name] as const);
    const records = rows.map((row) => {
      const record: Record<string, unknown> = {};
      for (const [key, name] of columns) record[name] = (row as Record<string, unknown>)[key] ?? null;
      return record;
    });
    const names = sql.join(
      columns.map(([, name]) => sql.identifier(name)),
      sql`, `,
    );
    const result = await this.tx.execute(
      sql`INSERT INTO ${table} (${names}) SELECT ${names} FROM json_populate_recordset(NULL::${table}, ${JSON.stringify(records)}::json) ${onConflict}`,
    );
    return result.rows;
  }
}

/** Ids as one `uuid[]` parameter (a Postgres array literal; ids never hold commas or braces). */
function uuidArray(ids: string[]): SQL {
  return sql`${`{${ids.join(',')}}`}::uuid[]`;
}
