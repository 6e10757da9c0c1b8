import { RpcError } from '@tonearm/bus';
import type { AlbumSummary, ArtistSummary, Principal, Track } from '@tonearm/contracts';
import type {
  AlbumView,
  ArtistView,
  CatalogReadRepository,
  TrackView,
  Viewer,
} from '../repositories/catalog-read-repository.ts';
import { decodeCursor, encodeCursor } from './page-cursor.ts';

/** A page of a list. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** The viewer of a request: anonymous, a user, or an admin. */
export function viewerOf(principal: Principal | null): Viewer {
  return { userId: principal?.userId ?? null, isAdmin: principal?.roles.includes('admin') ?? false };
}

/**
 * The catalog's answers, shaped as api.md shows them: tracks, albums and artists with keyset
 * pagination (`nextCursor` is opaque), details with their tracks, and ranked search.
 *
 * @example
 * const page = await queries.listTracks(principal, { mine: true, limit: 20 });
 */
export class CatalogQueries {
  readonly reads: CatalogReadRepository;

  constructor(reads: CatalogReadRepository) {
    this.reads = reads;
  }

  async listTracks(
    principal: Principal | null,
    input: {
      q?: string | undefined;
      artistId?: string | undefined;
      albumId?: string | undefined;
      mine?: boolean | undefined;
      status?: Track['status'] | undefined;
      limit: number;
      cursor?: string | undefined;
    },
  ): Promise<Page<Track>> {
    if (input.mine && !principal) throw new RpcError('unauthorized', 'sign in to list your own tracks');
    const after = input.cursor ? pair(input.cursor) : undefined;
    const rows = await this.reads.listTracks(viewerOf(principal), {
      q: input.q || undefined,
      artistId: input.artistId,
      albumId: input.albumId,
      ownerId: input.mine ? principal!.userId : undefined,
      status: input.status,
      after,
      limit: input.limit + 1,
    });
    const items = rows.slice(0, input.limit);
    const last = items.at(-1);
    return {
      items: await this.tracks(items),
      nextCursor: rows.length > input.limit && last ? encodeCursor([last.created_at, last.id]) : null,
    };
  }

  async getTrack(principal: Principal | null, id: string): Promise<Track> {
    const row = await this.reads.findTrack(viewerOf(principal), id);
    if (!row) throw new RpcError('not_found', 'no such track');
    const [track] = await this.tracks([row]);
    return track!;
  }

  /** Storage keys of a track the caller may see, for the edge's media routes. */
  async getTrackMedia(principal: Principal | null, id: string) {
    const row = await this.reads.findTrack(viewerOf(principal), id);
    if (!row) throw new RpcError('not_found', 'no such track');
    return {
      id: row.id,
      ownerId: row.owner_id,
      status: row.status,
      masterKey: row.status === 'ready' ? row.master_key : null,
      waveformKey: row.status === 'ready' ? row.waveform_key : null,
      coverKey: row.cover_key,
      durationMs: row.duration_ms,
    };
  }

  async listAlbums(principal: Principal | null, input: { limit: number; cursor?: string | undefined }) {
    const rows = await this.reads.listAlbums(viewerOf(principal), {
      after: input.cursor ? pair(input.cursor) : undefined,
      limit: input.limit + 1,
    });
    return pageOf(rows, input.limit, albumSummary, (last) => [last.title_key, last.id]);
  }

  async getAlbum(principal: Principal | null, id: string) {
    const viewer = viewerOf(principal);
    const album = await this.reads.findAlbum(viewer, id);
    if (!album) throw new RpcError('not_found', 'no such album');
    return { ...albumSummary(album), tracks: await this.tracks(await this.reads.tracksOf(viewer, { albumId: id })) };
  }

  async listArtists(principal: Principal | null, input: { limit: number; cursor?: string | undefined }) {
    const rows = await this.reads.listArtists(viewerOf(principal), {
      after: input.cursor ? pair(input.cursor) : undefined,
      limit: input.limit + 1,
    });
    return pageOf(rows, input.limit, artistSummary, (last) => [last.name_key, last.id]);
  }

  async getArtist(principal: Principal | null, id: string) {
    const viewer = viewerOf(principal);
    const artist = await this.reads.findArtist(viewer, id);
    if (!artist) throw new RpcError('not_found', 'no such artist');
    const [albums, tracks] = await Promise.all([
      this.reads.albumsOfArtist(viewer, id),
      this.reads.tracksOf(viewer, { artistId: id }),
    ]);
    return { ...artistSummary(artist), albums: albums.map(albumSummary), tracks: await this.tracks(tracks) };
  }

  /** Tracks, albums and artists matching the text, best first; empty text finds nothing. */
  async search(principal: Principal | null, input: { q: string; limit: number }) {
    if (input.q.length === 0) return { tracks: [], albums: [], artists: [] };
    const viewer = viewerOf(principal);
    const [tracks, albums, artists] = await Promise.all([
      this.reads.searchTracks(viewer, input.q, input.limit),
      this.reads.searchAlbums(viewer, input.q, input.limit),
      this.reads.searchArtists(viewer, input.q, input.limit),
    ]);
    return { tracks: await this.tracks(tracks), albums: albums.map(albumSummary), artists: artists.map(artistSummary) };
  }

  private async tracks(rows: TrackView[]): Promise<Track[]> {
    const ready = rows.filter((row) => row.status === 'ready').map((row) => row.id);
    const ladders = Map.groupBy(await this.reads.renditionsOf(ready), (r) => r.track_id);
    return rows.map((row) => toTrack(row, ladders.get(row.id) ?? []));
  }
}

function toTrack(row: TrackView, ladder: { name: string; bitrate: number; codecs: string }[]): Track {
  const error = row.status === 'failed' ? (row.upload_error ?? row.transcode_error ?? 'processing failed') : undefined;
  const ready = row.status === 'ready';
  return {
    id: row.id,
    title: row.title,
    artist: row.artist_id ? { id: row.artist_id, name: row.artist_name! } : null,
    album: row.album_id ? { id: row.album_id, title: row.album_title! } : null,
    trackNumber: row.track_number,
    discNumber: row.disc_number,
    durationMs: row.duration_ms,
    status: row.status,
    ...(error === undefined ? {} : { error }),
    ...(ready && row.integrated_lufs !== null
      ? { loudness: { integratedLufs: row.integrated_lufs, truePeakDb: row.true_peak_db!, gainDb: row.gain_db! } }
      : {}),
    ...(ready ? { renditions: ladder.map(({ name, bitrate, codecs }) => ({ name, bitrate, codecs })) } : {}),
    hasCover: row.cover_key !== null,
    owner: { id: row.owner_id },
    playCount: row.plays,
    createdAt: row.created_at,
  };
}

function albumSummary(row: AlbumView): AlbumSummary {
  return {
    id: row.id,
    title: row.title,
    artist: { id: row.artist_id, name: row.artist_name },
    year: row.year,
    hasCover: row.cover_key !== null,
    trackCount: row.track_count,
  };
}

function artistSummary(row: ArtistView): ArtistSummary {
  return { id: row.id, name: row.name, trackCount: row.track_count };
}

function pageOf<R, T>(rows: R[], limit: number, map: (row: R) => T, key: (row: R) => string[]): Page<T> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items: items.map(map), nextCursor: rows.length > limit && last ? encodeCursor(key(last)) : null };
}

function pair(cursor: string): [string, string] {
  const key = decodeCursor(cursor, 2);
  if (!key) throw new RpcError('invalid_request', 'the cursor is not one this list gave out');
  return [key[0]!, key[1]!];
}
