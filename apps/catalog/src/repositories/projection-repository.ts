import { eq, sql } from 'drizzle-orm';
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

/** Lock ids: projections share the swap lock, a rebuild's swap takes it alone. */
export const SWAP_LOCK = 7_210_002;

/** First key of the per-track advisory locks (two-key locks never meet the one-key swap lock). */
const TRACK_LOCK_CLASS = 7210;

/**
 * Every write of the projection, each a statement or two in the caller's transaction. Names of
 * artists and albums are the credit of their earliest track (by event rank), recomputed when a
 * track leaves them, so the tables depend on the set of events and not on their order.
 */
export class ProjectionRepository {
  readonly tx: CatalogTx;

  constructor(tx: CatalogTx) {
    this.tx = tx;
  }

  /** Waits while a rebuild swaps schemas; later statements then resolve to the new tables. */
  async enterProjection(): Promise<void> {
    await this.tx.execute(sql`SELECT pg_advisory_xact_lock_shared(${SWAP_LOCK})`);
  }

  /** Serialises the events of one track across projectors until this transaction ends. */
  async lockAggregate(trackId: string): Promise<void> {
    await this.tx.execute(sql`SELECT pg_advisory_xact_lock(${TRACK_LOCK_CLASS}, hashtext(${trackId}))`);
  }

  /** Records an event as applied; false when it was applied before. */
  async markProcessed(event: { id: string; type: string; occurredAt: string }): Promise<boolean> {
    const inserted = await this.tx
      .insert(processedEvents)
      .values({ eventId: event.id, type: event.type, occurredAt: event.occurredAt })
      .onConflictDoNothing()
      .returning({ id: processedEvents.eventId });
    return inserted.length > 0;
  }

  async isDeleted(trackId: string): Promise<boolean> {
    const rows = await this.tx
      .select({ id: deletedTracks.trackId })
      .from(deletedTracks)
      .where(eq(deletedTracks.trackId, trackId));
    return rows.length > 0;
  }

  async upsertUser(user: { id: string; displayName: string; roles: string[]; rank: string }): Promise<void> {
    await this.tx
      .insert(users)
      .values(user)
      .onConflictDoUpdate({
        target: users.id,
        set: {
          displayName: sql`CASE WHEN excluded.rank > ${users.rank} THEN excluded.display_name ELSE ${users.displayName} END`,
          roles: sql`CASE WHEN excluded.rank > ${users.rank} THEN excluded.roles ELSE ${users.roles} END`,
          rank: sql`GREATEST(excluded.rank, ${users.rank})`,
        },
      });
  }

  /** Adds a credit to an artist, creating it; the earliest credit (then the first by name) names it. Locks the row. */
  async upsertArtist(artist: { id: string; name: string; nameKey: string; rank: string }): Promise<void> {
    await this.tx
      .insert(artists)
      .values(artist)
      .onConflictDoUpdate({
        target: artists.nameKey,
        set: {
          name: sql`CASE WHEN (excluded.rank, excluded.name) < (${artists.rank}, ${artists.name}) THEN excluded.name ELSE ${artists.name} END`,
          rank: sql`LEAST(excluded.rank, ${artists.rank})`,
        },
      });
  }

  /** Adds a track's credit to an album, creating it; the earliest track names it. Locks the row. */
  async upsertAlbum(album: {
    id: string;
    title: string;
    titleKey: string;
    artistId: string;
    year: number | null;
    coverKey: string | null;
    rank: string;
  }): Promise<void> {
    const earlier = sql`excluded.rank < ${albums.rank}`;
    await this.tx
      .insert(albums)
      .values(album)
      .onConflictDoUpdate({
        target: [albums.artistId, albums.titleKey],
        set: {
          title: sql`CASE WHEN ${earlier} THEN excluded.title ELSE ${albums.title} END`,
          year: sql`CASE WHEN ${earlier} THEN excluded.year ELSE ${albums.year} END`,
          coverKey: sql`CASE WHEN ${earlier} THEN excluded.cover_key ELSE ${albums.coverKey} END`,
          rank: sql`LEAST(excluded.rank, ${albums.rank})`,
        },
      });
  }

  /** The track row, locked for this transaction, created empty (`pending`) when it is not there yet. */
  async lockTrack(trackId: string): Promise<TrackRow> {
    await this.tx.insert(tracks).values({ id: trackId, status: 'pending' }).onConflictDoNothing();
    const [row] = await this.tx.select().from(tracks).where(eq(tracks.id, trackId)).for('update');
    return row!;
  }

  async updateTrack(trackId: string, fields: Partial<TrackRow>): Promise<void> {
    await this.tx.update(tracks).set(fields).where(eq(tracks.id, trackId));
  }

  async replaceRenditions(trackId: string, ladder: RenditionRow[]): Promise<void> {
    await this.tx.delete(renditions).where(eq(renditions.trackId, trackId));
    if (ladder.length > 0) await this.tx.insert(renditions).values(ladder.map((r) => ({ ...r, trackId })));
  }

  /** Removes a track and everything hanging off it, leaving a tombstone. */
  async deleteTrack(tombstone: typeof deletedTracks.$inferInsert): Promise<void> {
    await this.tx.insert(deletedTracks).values(tombstone).onConflictDoNothing();
    await this.tx.delete(renditions).where(eq(renditions.trackId, tombstone.trackId));
    await this.tx.delete(tracks).where(eq(tracks.id, tombstone.trackId));
    await this.tx.delete(playCounts).where(eq(playCounts.trackId, tombstone.trackId));
    await this.tx.delete(listeningHistory).where(eq(listeningHistory.trackId, tombstone.trackId));
  }

  /**
   * After a track left an album: removes the album when no track is left on it, or renames it
   * after its earliest remaining track.
   */
  async refreshAlbum(albumId: string): Promise<void> {
    const locked = await this.tx.select({ id: albums.id }).from(albums).where(eq(albums.id, albumId)).for('update');
    if (locked.length === 0) return;
    const [best] = await this.tx
      .select({
        title: tracks.albumCredit,
        year: tracks.year,
        coverKey: tracks.coverKey,
        rank: tracks.uploadRank,
      })
      .from(tracks)
      .where(eq(tracks.albumId, albumId))
      .orderBy(tracks.uploadRank)
      .limit(1);
    if (!best) {
      await this.tx.delete(albums).where(eq(albums.id, albumId));
      return;
    }
    await this.tx
      .update(albums)
      .set({ title: best.title!, year: best.year, coverKey: best.coverKey, rank: best.rank! })
      .where(eq(albums.id, albumId));
  }

  /**
   * After a track or album left an artist: removes the artist when nothing credits them, or
   * renames them after their earliest remaining credit.
   */
  async refreshArtist(artistId: string): Promise<void> {
    const locked = await this.tx.select({ id: artists.id }).from(artists).where(eq(artists.id, artistId)).for('update');
    if (locked.length === 0) return;
    const result = await this.tx.execute<{ name: string; rank: string }>(sql`
      SELECT name, rank FROM (
        SELECT ${tracks.artistCredit} AS name, ${tracks.uploadRank} AS rank FROM ${tracks} WHERE ${tracks.artistId} = ${artistId}
        UNION ALL
        SELECT ${tracks.albumArtistCredit}, ${tracks.uploadRank} FROM ${tracks} WHERE ${tracks.albumArtistId} = ${artistId}
      ) credits ORDER BY rank, name LIMIT 1`);
    const best = result.rows[0];
    if (!best) {
      await this.tx.delete(artists).where(eq(artists.id, artistId));
      return;
    }
    await this.tx.update(artists).set({ name: best.name, rank: best.rank }).where(eq(artists.id, artistId));
  }

  async recordPlayback(entry: typeof listeningHistory.$inferInsert): Promise<void> {
    await this.tx.insert(listeningHistory).values(entry).onConflictDoNothing();
    if (entry.kind !== 'started') return;
    await this.tx
      .insert(playCounts)
      .values({ trackId: entry.trackId, plays: 1 })
      .onConflictDoUpdate({ target: playCounts.trackId, set: { plays: sql`${playCounts.plays} + 1` } });
  }
}
