import { callRpc, RpcError } from '@tonearm/bus';
import { getAlbumRpc, getTrackRpc, objectKeys, type Principal } from '@tonearm/contracts';
import { Hono, type Context } from 'hono';
import type { Authenticator } from '../auth/authenticator.ts';
import type { MediaObject, MediaObjects } from '../media/media-objects.ts';
import { auth, type AuthVariables } from '../middleware/auth.middleware.ts';
import { apiError } from './api-error.ts';
import { rpcErrorAnswer, type RpcDeps } from './rpc-answer.ts';

/** What the cover routes need: catalog reads on the bus and the stored objects. */
export type CoverDeps = RpcDeps & { authenticator: Authenticator; objects: MediaObjects };

/** Covers are read like the catalog: by anyone who may see the track, so `<img>` works without headers. */
const cacheControl = 'private, max-age=3600';
/** The type comes from the uploaded file's tags: only images are served as what they say they are. */
const imageTypes = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/webp', 'image/avif', 'image/bmp']);

function sendCover(c: Context, object: MediaObject) {
  const headers = { etag: object.etag, 'cache-control': cacheControl, vary: 'authorization' };
  if (c.req.header('if-none-match') === object.etag) return c.body(null, 304, headers);
  return c.body(object.body as Uint8Array<ArrayBuffer>, 200, {
    ...headers,
    'content-type': imageTypes.has(object.contentType?.toLowerCase() ?? '')
      ? object.contentType!.toLowerCase()
      : 'application/octet-stream',
    'x-content-type-options': 'nosniff',
  });
}

/**
 * `GET /api/tracks/:id/cover` (the cover art found in the file's tags, stored by ingest under
 * `covers/{trackId}`) and `GET /api/albums/:id/cover` (the first cover among the album's tracks,
 * in disc and track order). The catalog decides who may see the track or album; 404 when there
 * is no cover. The stored content type, ETag (304 on `If-None-Match`) and a private hour of caching.
 */
export function coverRoutes(deps: CoverDeps) {
  const read = auth(deps.authenticator, { required: false, scope: 'read' });
  const call = async <T>(
    c: Context<{ Variables: AuthVariables }>,
    ask: (principal: Principal | null) => Promise<T>,
  ) => {
    try {
      return { value: await ask(c.var.caller?.principal ?? null) };
    } catch (error) {
      if (error instanceof RpcError) return { answer: rpcErrorAnswer(c, error) };
      throw error;
    }
  };
  return new Hono<{ Variables: AuthVariables }>()
    .get('/tracks/:id/cover', read, async (c) => {
      const track = await call(c, (principal) =>
        callRpc(deps.bus, getTrackRpc, { id: c.req.param('id') }, { principal, timeoutMs: deps.rpcTimeoutMs }),
      );
      if (!track.value) return track.answer;
      const object = await deps.objects.get(objectKeys.cover(track.value.id));
      return object ? sendCover(c, object) : apiError(c, 'not_found', 'the track has no cover art');
    })
    .get('/albums/:id/cover', read, async (c) => {
      const album = await call(c, (principal) =>
        callRpc(deps.bus, getAlbumRpc, { id: c.req.param('id') }, { principal, timeoutMs: deps.rpcTimeoutMs }),
      );
      if (!album.value) return album.answer;
      if (album.value.hasCover) {
        for (const track of album.value.tracks) {
          const object = await deps.objects.get(objectKeys.cover(track.id));
          if (object) return sendCover(c, object);
        }
      }
      return apiError(c, 'not_found', 'the album has no cover art');
    });
}
