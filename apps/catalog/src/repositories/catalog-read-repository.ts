import { sql, type SQL } from 'drizzle-orm';
import type { CatalogDb } from './catalog-database.ts';

/** Who is asking: decides which processing and failed tracks show. */
export interface Viewer {
  userId: string | null;
  isAdmin: boolean;
}

/** A track row with its artist, album and play count. */
export interface TrackView {
  id: string;
  owner_id: string;
  title: string;
  artist_id: string | null;
  artist_name: string | null;
  album_id: string | null;
  album_title: string | null;
  track_number: number | null;
  disc_number: number | null;
  duration_ms: number | null;
  status: 'processing' | 'ready' | 'failed';
  upload_error: string | null;
  transcode_error: string | null;
  integrated_lufs: number | null;
  true_peak_db: number | null;
  gain_db: number | null;
  master_key: string | null;
  waveform_key: string | null;
  cover_key: string | null;
  plays: number;
  created_at: string;
}

/** A rendition of a ready track. */
export interface RenditionView {
  track_id: string;
  name: string;
  bitrate: number;
  codecs: string;
}

/** An album row with its artist and visible track count. */
export interface AlbumView {
  id: string;
  title: string;
  title_key: string;
  artist_id: string;
  artist_name: string;
  year: number | null;
  cover_key: string | null;
  track_count: number;
}

/** An artist row with the visible track count. */
export interface ArtistView {
  id: string;
  name: string;
  name_key: string;
  track_count: number;
}

/** Filters of a track list; the cursor is the (created_at, id) of the last item shown. */
export interface TrackFilter {
  q?: string | undefined;
  artistId?: string | undefined;
  albumId?: string | undefined;
  ownerId?: string | undefined;
  status?: 'processing' | 'ready' | 'failed' | undefined;
  after?: [string, string] | undefined;
  limit: number;
}

const normalised = (expression: SQL) => sql`f_unaccent(lower(${expression}))`;

const TRACK_COLUMNS = sql`
  t.id, t.owner_id, t.title, t.artist_id, ar.name AS artist_name, t.album_id, al.title AS album_title,
  t.track_number, t.disc_number, t.duration_ms, t.status, t.upload_error, t.transcode_error,
  t.integrated_lufs, t.true_peak_db, t.gain_db, t.master_key, t.waveform_key, t.cover_key,
  COALESCE(pc.plays, 0)::int AS plays, to_json(t.created_at) #>> '{}' AS created_at`;

const TRACK_FROM = sql`
  FROM tracks t
  LEFT JOIN artists ar ON ar.id = t.artist_id
  LEFT JOIN albums al ON al.id = t.album_id
  LEFT JOIN play_counts pc ON pc.track_id = t.id`;

/**
 * The reads of the catalog queries. Every value reaches Postgres as a parameter; search text is
 * compared accent- and case-free with trigram word similarity (`<%`) and full text.
 */
export class CatalogReadRepository {
  readonly db: CatalogDb;

  constructor(db: CatalogDb) {
    this.db = db;
  }

  /** Tracks the viewer may see, newest first, after the cursor. */
  async listTracks(viewer: Viewer, filter: TrackFilter): Promise<TrackView[]> {
    const conditions: SQL[] = [visibleTrack(viewer)];
    if (filter.q) conditions.push(matchesTrack(filter.q));
    if (filter.artistId) conditions.push(sql`(t.artist_id = ${filter.artistId} OR al.artist_id = ${filter.artistId})`);
    if (filter.albumId) conditions.push(sql`t.album_id = ${filter.albumId}`);
    if (filter.ownerId) conditions.push(sql`t.owner_id = ${filter.ownerId}`);
    if (filter.status) conditions.push(sql`t.status = ${filter.status}`);
    if (filter.after) {
      conditions.push(sql`(t.created_at, t.id) < (${filter.after[0]}::timestamptz, ${filter.after[1]}::uuid)`);
    }
    return this.rows<TrackView>(sql`SELECT ${TRACK_COLUMNS} ${TRACK_FROM}
      WHERE ${sql.join(conditions, sql` AND `)}
      ORDER BY t.created_at DESC, t.id DESC LIMIT ${filter.limit}`);
  }

  /** One track when the viewer may see it. */
  async findTrack(viewer: Viewer, id: string): Promise<TrackView | undefined> {
    const [row] = await this.rows<TrackView>(
      sql`SELECT ${TRACK_COLUMNS} ${TRACK_FROM} WHERE t.id = ${id} AND ${visibleTrack(viewer)}`,
    );
    return row;
  }

  /** One track whatever its visibility (pending rows excluded), for ownership checks. */
  async findAnyTrack(id: string): Promise<TrackView | undefined> {
    const [row] = await this.rows<TrackView>(
      sql`SELECT ${TRACK_COLUMNS} ${TRACK_FROM} WHERE t.id = ${id} AND t.status <> 'pending'`,
    );
    return row;
  }

  /** Visible tracks of an album in disc and track order, or of an artist by album then number. */
  async tracksOf(viewer: Viewer, owner: { albumId: string } | { artistId: string }): Promise<TrackView[]> {
    const where =
      'albumId' in owner
        ? sql`t.album_id = ${owner.albumId}`
        : sql`(t.artist_id = ${owner.artistId} OR al.artist_id = ${owner.artistId})`;
    return this.rows<TrackView>(sql`SELECT ${TRACK_COLUMNS} ${TRACK_FROM}
      WHERE ${where} AND ${visibleTrack(viewer)}
      ORDER BY al.title_key NULLS LAST, t.disc_number NULLS FIRST, t.track_number NULLS LAST, t.title, t.id`);
  }

  async renditionsOf(trackIds: string[]): Promise<RenditionView[]> {
    if (trackIds.length === 0) return [];
    return this.rows<RenditionView>(sql`SELECT track_id, name, bitrate, codecs FROM renditions
      WHERE track_id IN (${sql.join(
        trackIds.map((id) => sql`${id}::uuid`),
        sql`, `,
      )}) ORDER BY track_id, bitrate`);
  }

  /** Albums with a visible track, by title, after the cursor (title key, id). */
  async listAlbums(
    viewer: Viewer,
    page: { after?: [string, string] | undefined; limit: number },
  ): Promise<AlbumView[]> {
    const after = page.after ? sql`AND (a.title_key, a.id) > (${page.after[0]}, ${page.after[1]}::uuid)` : sql``;
    return this.rows<AlbumView>(sql`${albumSelect(viewer)} WHERE counts.track_count > 0 ${after}
      ORDER BY a.title_key, a.id LIMIT ${page.limit}`);
  }

  async findAlbum(viewer: Viewer, id: string): Promise<AlbumView | undefined> {
    const [row] = await this.rows<AlbumView>(sql`${albumSelect(viewer)} WHERE a.id = ${id} AND counts.track_count > 0`);
    return row;
  }

  async albumsOfArtist(viewer: Viewer, artistId: string): Promise<AlbumView[]> {
    return this.rows<AlbumView>(sql`${albumSelect(viewer)} WHERE a.artist_id = ${artistId} AND counts.track_count > 0
      ORDER BY a.year NULLS LAST, a.title_key, a.id`);
  }

  /** Artists with a visible track, by name, after the cursor (name key, id). */
  async listArtists(
    viewer: Viewer,
    page: { after?: [string, string] | undefined; limit: number },
  ): Promise<ArtistView[]> {
    const after = page.after ? sql`AND (a.name_key, a.id) > (${page.after[0]}, ${page.after[1]}::uuid)` : sql``;
    return this.rows<ArtistView>(sql`${artistSelect(viewer)} WHERE counts.track_count > 0 ${after}
      ORDER BY a.name_key, a.id LIMIT ${page.limit}`);
  }

  async findArtist(viewer: Viewer, id: string): Promise<ArtistView | undefined> {
    const [row] = await this.rows<ArtistView>(
      sql`${artistSelect(viewer)} WHERE a.id = ${id} AND counts.track_count > 0`,
    );
    return row;
  }

  /** Tracks matching the text, a title match ranked above an artist match above an album match. */
  async searchTracks(viewer: Viewer, q: string, limit: number): Promise<TrackView[]> {
    const nq = normalised(sql`${q}::text`);
    const title = normalised(sql`t.title`);
    const rank = sql`(
      word_similarity(${nq}, ${title})
      + ts_rank(to_tsvector('simple', ${title}), plainto_tsquery('simple', ${nq}))
      + 0.6 * COALESCE(word_similarity(${nq}, ${normalised(sql`ar.name`)}), 0)
      + 0.5 * COALESCE(word_similarity(${nq}, ${normalised(sql`al.title`)}), 0))`;
    return this.rows<TrackView>(sql`SELECT ${TRACK_COLUMNS} ${TRACK_FROM}
      WHERE ${visibleTrack(viewer)} AND ${matchesTrack(q)}
      ORDER BY ${rank} DESC, t.created_at DESC, t.id LIMIT ${limit}`);
  }

  async searchAlbums(viewer: Viewer, q: string, limit: number): Promise<AlbumView[]> {
    const nq = normalised(sql`${q}::text`);
    const title = normalised(sql`a.title`);
    const artist = normalised(sql`ar.name`);
    return this.rows<AlbumView>(sql`${albumSelect(viewer)}
      WHERE counts.track_count > 0 AND (${nq} <% ${title} OR ${nq} <% ${artist})
      ORDER BY word_similarity(${nq}, ${title}) + 0.5 * word_similarity(${nq}, ${artist}) DESC, a.title_key, a.id
      LIMIT ${limit}`);
  }

  async searchArtists(viewer: Viewer, q: string, limit: number): Promise<ArtistView[]> {
    const nq = normalised(sql`${q}::text`);
    const name = normalised(sql`a.name`);
    return this.rows<ArtistView>(sql`${artistSelect(viewer)}
      WHERE counts.track_count > 0 AND ${nq} <% ${name}
      ORDER BY word_similarity(${nq}, ${name}) DESC, a.name_key, a.id LIMIT ${limit}`);
  }

  private async rows<T>(query: SQL): Promise<T[]> {
    const result = await this.db.execute(query);
    return result.rows as T[];
  }
}

function visibleTrack(viewer: Viewer): SQL {
  if (viewer.isAdmin) return sql`t.status <> 'pending'`;
  if (viewer.userId) return sql`(t.status = 'ready' OR (t.status <> 'pending' AND t.owner_id = ${viewer.userId}))`;
  return sql`t.status = 'ready'`;
}

function matchesTrack(q: string): SQL {
  const nq = normalised(sql`${q}::text`);
  const title = normalised(sql`t.title`);
  return sql`(${nq} <% ${title}
    OR to_tsvector('simple', ${title}) @@ plainto_tsquery('simple', ${nq})
    OR ${nq} <% ${normalised(sql`ar.name`)}
    OR ${nq} <% ${normalised(sql`al.title`)})`;
}

function albumSelect(viewer: Viewer): SQL {
  return sql`SELECT a.id, a.title, a.title_key, a.artist_id, ar.name AS artist_name, a.year, a.cover_key,
      counts.track_count
    FROM albums a
    JOIN artists ar ON ar.id = a.artist_id
    CROSS JOIN LATERAL (
      SELECT COUNT(*)::int AS track_count FROM tracks t WHERE t.album_id = a.id AND ${visibleTrack(viewer)}
    ) counts`;
}

function artistSelect(viewer: Viewer): SQL {
  return sql`SELECT a.id, a.name, a.name_key, counts.track_count
    FROM artists a
    CROSS JOIN LATERAL (
      SELECT COUNT(*)::int AS track_count FROM tracks t LEFT JOIN albums al ON al.id = t.album_id
      WHERE (t.artist_id = a.id OR al.artist_id = a.id) AND ${visibleTrack(viewer)}
    ) counts`;
}
