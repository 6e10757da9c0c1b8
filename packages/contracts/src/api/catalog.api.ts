import { z } from 'zod';
import { defineRpc } from '../rpc/rpc-definition.ts';

/** Longest search text the catalog reads; longer text is cut, never refused. */
export const MAX_QUERY_LENGTH = 200;

/** Most items one page of a list holds. */
export const MAX_PAGE_SIZE = 100;

/** Where a track is in its life: being transcoded, playable, or refused with a reason. */
export const trackStatusSchema = z.enum(['processing', 'ready', 'failed']);

/** The status of a track. */
export type TrackStatus = z.infer<typeof trackStatusSchema>;

/** An artist as a track or album names it. */
export const artistRefSchema = z.object({ id: z.string().uuid(), name: z.string() });

/** An album as a track names it. */
export const albumRefSchema = z.object({ id: z.string().uuid(), title: z.string() });

/**
 * A track as the public API shows it (`track` in api.md). `artist` is null only for an upload
 * refused before its tags could be read. `error` is set on failed tracks only; `loudness` and
 * `renditions` on ready tracks only. `hasCover` says whether `GET /api/tracks/:id/cover` has an
 * image, so clients ask only for covers that exist.
 */
export const trackSchema = z.object({
  id: z.string().uuid(),
  title: z.string(),
  artist: artistRefSchema.nullable(),
  album: albumRefSchema.nullable(),
  trackNumber: z.number().int().nullable(),
  discNumber: z.number().int().nullable(),
  durationMs: z.number().int().nullable(),
  status: trackStatusSchema,
  error: z.string().optional(),
  loudness: z.object({ integratedLufs: z.number(), truePeakDb: z.number(), gainDb: z.number() }).optional(),
  renditions: z.array(z.object({ name: z.string(), bitrate: z.number().int(), codecs: z.string() })).optional(),
  hasCover: z.boolean(),
  owner: z.object({ id: z.string().uuid() }),
  playCount: z.number().int().nonnegative(),
  createdAt: z.string().datetime({ offset: true }),
});

/** A track of the public API. */
export type Track = z.infer<typeof trackSchema>;

/** An album in lists and search results. */
export const albumSummarySchema = z.object({
  id: z.string().uuid(),
  title: z.string(),
  artist: artistRefSchema,
  year: z.number().int().nullable(),
  hasCover: z.boolean(),
  trackCount: z.number().int().nonnegative(),
});

/** An album summary. */
export type AlbumSummary = z.infer<typeof albumSummarySchema>;

/** An album with its tracks, in disc and track order. */
export const albumDetailSchema = albumSummarySchema.extend({ tracks: z.array(trackSchema) });

/** An artist in lists and search results. */
export const artistSummarySchema = z.object({
  id: z.string().uuid(),
  name: z.string(),
  trackCount: z.number().int().nonnegative(),
});

/** An artist summary. */
export type ArtistSummary = z.infer<typeof artistSummarySchema>;

/** An artist with their albums and tracks. */
export const artistDetailSchema = artistSummarySchema.extend({
  albums: z.array(albumSummarySchema),
  tracks: z.array(trackSchema),
});

/** An opaque position in a list, from a previous page's `nextCursor`. */
export const cursorSchema = z.string().max(500);

/** Search text as the catalog reads it: control characters (NUL included) become spaces, then cut and trimmed. */
export function cleanQuery(q: string): string {
  return q
    .slice(0, MAX_QUERY_LENGTH)
    .replace(/\p{Cc}/gu, ' ')
    .trim();
}

const queryText = z.string().transform(cleanQuery).optional();

const booleanParam = z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]);

const limitParam = z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(50);

/** The query of `GET /api/tracks`. */
export const listTracksInputSchema = z.object({
  q: queryText,
  artistId: z.string().uuid().optional(),
  albumId: z.string().uuid().optional(),
  mine: booleanParam.optional(),
  status: trackStatusSchema.optional(),
  limit: limitParam,
  cursor: cursorSchema.optional(),
});

/** One page of a list: the items and the cursor of the next page (null on the last one). */
export function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

const listInput = z.object({ limit: limitParam, cursor: cursorSchema.optional() });
const byId = z.object({ id: z.string().uuid() });

/** Tracks newest first; anyone sees ready tracks, a user also their own processing and failed ones. */
export const listTracksRpc = defineRpc({
  service: 'catalog',
  operation: 'list-tracks',
  access: 'public',
  description: 'GET /api/tracks: tracks newest first, filtered, cursor paginated; mine=true needs a user',
  input: listTracksInputSchema,
  output: pageSchema(trackSchema),
});

/** One track; not_found when it does not exist or the caller may not see it. */
export const getTrackRpc = defineRpc({
  service: 'catalog',
  operation: 'get-track',
  access: 'public',
  description: 'GET /api/tracks/:id',
  input: byId,
  output: trackSchema,
});

/** Deletes a track (owner or admin); its objects are removed from storage through the deletion event. */
export const deleteTrackRpc = defineRpc({
  service: 'catalog',
  operation: 'delete-track',
  access: 'user',
  description: 'DELETE /api/tracks/:id (owner or admin), answered with 204',
  input: byId,
  output: z.object({ deleted: z.literal(true) }),
});

/** Artists in name order. */
export const listArtistsRpc = defineRpc({
  service: 'catalog',
  operation: 'list-artists',
  access: 'public',
  description: 'GET /api/artists',
  input: listInput,
  output: pageSchema(artistSummarySchema),
});

/** One artist with albums and tracks. */
export const getArtistRpc = defineRpc({
  service: 'catalog',
  operation: 'get-artist',
  access: 'public',
  description: 'GET /api/artists/:id',
  input: byId,
  output: artistDetailSchema,
});

/** Albums in title order. */
export const listAlbumsRpc = defineRpc({
  service: 'catalog',
  operation: 'list-albums',
  access: 'public',
  description: 'GET /api/albums',
  input: listInput,
  output: pageSchema(albumSummarySchema),
});

/** One album with its tracks. */
export const getAlbumRpc = defineRpc({
  service: 'catalog',
  operation: 'get-album',
  access: 'public',
  description: 'GET /api/albums/:id',
  input: byId,
  output: albumDetailSchema,
});

/** Search across titles, artists and albums, tolerant of typos and accents, best match first. */
export const searchRpc = defineRpc({
  service: 'catalog',
  operation: 'search',
  access: 'public',
  description: 'GET /api/search?q=',
  input: z.object({ q: z.string().transform(cleanQuery), limit: limitParam }),
  output: z.object({
    tracks: z.array(trackSchema),
    albums: z.array(albumSummarySchema),
    artists: z.array(artistSummarySchema),
  }),
});

/**
 * What the edge needs to serve a track's media (playback URL, HLS, waveform): storage keys and
 * who may play it. not_found when the caller may not see the track.
 */
export const getTrackMediaRpc = defineRpc({
  service: 'catalog',
  operation: 'get-track-media',
  access: 'user',
  description: 'Storage keys of a visible track, for the edge playback, stream and waveform routes',
  input: byId,
  output: z.object({
    id: z.string().uuid(),
    ownerId: z.string().uuid(),
    status: trackStatusSchema,
    masterKey: z.string().nullable(),
    waveformKey: z.string().nullable(),
    coverKey: z.string().nullable(),
    durationMs: z.number().int().nullable(),
  }),
});
