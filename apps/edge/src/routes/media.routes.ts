import { callRpc, RpcError, type Bus } from '@tonearm/bus';
import { getTrackMediaRpc, objectKeys, playbackEventRequestSchema, type Principal } from '@tonearm/contracts';
import type { Logger } from '@tonearm/runtime';
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { Hono, type Context } from 'hono';
import { AuthenticationError, type Authenticator } from '../auth/authenticator.ts';
import type { SessionChecker } from '../auth/session-checker.ts';
import { auth, bearerOf, type AuthVariables } from '../middleware/auth.middleware.ts';
import { parseRange } from '../media/byte-range.ts';
import type { MediaObjects } from '../media/media-objects.ts';
import type { MediaTokens } from '../media/media-token.ts';
import { isTrackId, mediaTypeOf, streamFilePath, withToken } from '../media/stream-path.ts';
import { apiError } from './api-error.ts';
import { rpcErrorAnswer } from './rpc-answer.ts';

/** What the playback and stream routes need. */
export interface MediaDeps {
  bus: Bus;
  rpcTimeoutMs: number;
  logger: Logger;
  authenticator: Authenticator;
  sessions: SessionChecker;
  tokens: MediaTokens;
  objects: MediaObjects;
}

const playlistCacheControl = 'private, max-age=10';
const segmentCacheControl = 'private, max-age=31536000, immutable';

/** Media keys of a track the principal may see; an RpcError (not_found…) otherwise. */
function trackMedia(deps: MediaDeps, principal: Principal, id: string) {
  return callRpc(deps.bus, getTrackMediaRpc, { id }, { principal, timeoutMs: deps.rpcTimeoutMs });
}

function rpcFailure(c: Context, error: unknown) {
  if (error instanceof RpcError) return rpcErrorAnswer(c, error);
  throw error;
}

/**
 * The id of the `playback.started` event of a playback URL: the same for every fetch of its
 * master playlist, so a player that reloads it is one play (the bus drops the duplicate).
 */
export function playEventId(mediaToken: string): string {
  const h = createHash('sha256').update(mediaToken).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Sessions of API tokens have no Redis key; their media tokens live until they expire. */
const isApiTokenSession = (sessionId: string) => sessionId.startsWith('api-token:');

/**
 * `GET /api/tracks/:id/playback` and `/waveform`, `POST /api/tracks/:id/playback/events` (a
 * player's progress and end, for play counts and history), and the HLS files under
 * `GET /stream/:trackId/…`: playlists rewritten to carry the URL token (gzipped when accepted), segments with `ETag`,
 * `Range` and immutable caching, all read from the store through the segment cache. Only file
 * names of `[A-Za-z0-9_.-]` under the track's own HLS prefix can be reached.
 */
export function mediaRoutes(deps: MediaDeps) {
  const read = auth(deps.authenticator, { required: true, scope: 'read' });
  return new Hono<{ Variables: AuthVariables }>()
    .get('/api/tracks/:id/playback', read, async (c) => {
      const principal = c.var.caller!.principal;
      const id = c.req.param('id');
      let media;
      try {
        media = await trackMedia(deps, principal, id);
      } catch (error) {
        return rpcFailure(c, error);
      }
      if (media.status !== 'ready' || !media.masterKey) {
        return apiError(c, 'conflict', `the track is ${media.status}, not ready to play`);
      }
      const { token, expiresAt } = await deps.tokens.issue({
        userId: principal.userId,
        sessionId: principal.sessionId,
        trackId: media.id,
      });
      const masterUrl = new URL(`/stream/${media.id}/master.m3u8?t=${encodeURIComponent(token)}`, c.req.url).href;
      return c.json({ masterUrl, expiresAt: new Date(expiresAt * 1000).toISOString() });
    })
    .get('/api/tracks/:id/waveform', read, async (c) => {
      let media;
      try {
        media = await trackMedia(deps, c.var.caller!.principal, c.req.param('id'));
      } catch (error) {
        return rpcFailure(c, error);
      }
      const object = media.waveformKey ? await deps.objects.get(media.waveformKey) : undefined;
      if (!object) return apiError(c, 'not_found', 'the track has no waveform yet');
      const document = JSON.parse(Buffer.from(object.body).toString('utf8')) as { peaks?: unknown };
      return c.json({ peaks: Array.isArray(document.peaks) ? document.peaks : [] });
    })
    .post('/api/tracks/:id/playback/events', read, async (c) => {
      let body: unknown;
      try {
        body = await c.req.json();
      } catch {
        body = undefined;
      }
      const event = playbackEventRequestSchema.safeParse(body);
      if (!event.success) {
        return apiError(c, 'invalid_request', 'the body must be {type: "progressed" | "finished", positionMs}', {
          issues: event.error.issues,
        });
      }
      const principal = c.var.caller!.principal;
      try {
        await trackMedia(deps, principal, c.req.param('id'));
      } catch (error) {
        return rpcFailure(c, error);
      }
      const data = {
        trackId: c.req.param('id'),
        userId: principal.userId,
        sessionId: principal.sessionId,
        positionMs: event.data.positionMs,
      };
      await deps.bus.publish(event.data.type === 'finished' ? 'playback.finished.v1' : 'playback.progressed.v1', {
        data,
      });
      return c.body(null, 202);
    })
    .get('/stream/*', async (c) => {
      const [trackId = '', ...rest] = new URL(c.req.url).pathname.split('/').slice(2);
      if (!isTrackId(trackId)) return apiError(c, 'invalid_request', 'not a track id');
      const path = streamFilePath(rest);
      if (!path) return apiError(c, 'not_found', 'no such media file');

      let token = c.req.query('t');
      let grant;
      if (token) {
        grant = await deps.tokens.verify(token);
        if (!grant) return apiError(c, 'unauthorized', 'the media token is not valid or has expired');
        if (grant.trackId !== trackId) return apiError(c, 'forbidden', 'this media token is for another track');
        if (!isApiTokenSession(grant.sessionId)) {
          let alive;
          try {
            alive = await deps.sessions.isAlive(grant.sessionId);
          } catch {
            return apiError(c, 'service_unavailable', 'sessions cannot be checked right now');
          }
          if (!alive) return apiError(c, 'unauthorized', 'the session has ended');
        }
      } else {
        const bearer = bearerOf(c.req.header('authorization'));
        if (!bearer) return apiError(c, 'unauthorized', 'a media token or a bearer token is needed');
        let principal: Principal;
        try {
          principal = (await deps.authenticator.authenticate(bearer)).principal;
          await trackMedia(deps, principal, trackId);
        } catch (error) {
          if (error instanceof AuthenticationError) return apiError(c, error.code, error.message);
          return rpcFailure(c, error);
        }
        ({ token } = await deps.tokens.issue({ userId: principal.userId, sessionId: principal.sessionId, trackId }));
        grant = { userId: principal.userId, sessionId: principal.sessionId, trackId, expiresAt: 0 };
      }

      const object = await deps.objects.get(objectKeys.hlsPrefix(trackId) + path);
      if (!object) return apiError(c, 'not_found', 'no such media file');
      const type = mediaTypeOf(path)!;
      if (path.endsWith('.m3u8')) {
        if (path === 'master.m3u8') {
          const data = { trackId, userId: grant.userId, sessionId: grant.sessionId, positionMs: 0 };
          deps.bus
            .publish('playback.started.v1', { data, ...(c.req.query('t') ? { id: playEventId(token) } : {}) })
            .catch((error: unknown) => deps.logger.warn({ err: error }, 'could not publish playback.started'));
        }
        const text = withToken(Buffer.from(object.body).toString('utf8'), token);
        const headers = { 'content-type': type, 'cache-control': playlistCacheControl, vary: 'accept-encoding' };
        if (!/\bgzip\b/.test(c.req.header('accept-encoding') ?? '')) return c.body(text, 200, headers);
        return c.body(gzipSync(text) as Uint8Array<ArrayBuffer>, 200, { ...headers, 'content-encoding': 'gzip' });
      }

      const headers: Record<string, string> = {
        'content-type': type,
        'cache-control': segmentCacheControl,
        etag: object.etag,
        'accept-ranges': 'bytes',
      };
      const ifNoneMatch = c.req.header('if-none-match');
      if (ifNoneMatch && ifNoneMatch.split(',').some((tag) => tag.trim() === object.etag || tag.trim() === '*')) {
        return c.body(null, 304, headers);
      }
      const size = object.body.byteLength;
      const range = parseRange(c.req.header('range'), size);
      if (range === 'unsatisfiable') {
        return c.body(null, 416, { ...headers, 'content-range': `bytes */${size}` });
      }
      if (range === 'whole') return c.body(object.body as Uint8Array<ArrayBuffer>, 200, headers);
      return c.body(object.body.subarray(range.start, range.end + 1) as Uint8Array<ArrayBuffer>, 206, {
        ...headers,
        'content-range': `bytes ${range.start}-${range.end}/${size}`,
      });
    });
}
