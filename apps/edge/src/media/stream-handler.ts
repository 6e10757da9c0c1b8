import { gzipSync } from 'node:zlib';
import { callRpc, RpcError, type Bus } from '@tonearm/bus';
import { apiErrorStatus, getTrackMediaRpc, objectKeys, type ApiErrorCode, type Principal } from '@tonearm/contracts';
import type { Logger } from '@tonearm/runtime';
import { createHash } from 'node:crypto';
import { AuthenticationError, type Authenticator } from '../auth/authenticator.ts';
import type { SessionChecker } from '../auth/session-checker.ts';
import { parseRange } from './byte-range.ts';
import type { MediaObjects } from './media-objects.ts';
import type { MediaTokens } from './media-token.ts';
import { isTrackId, mediaTypeOf, streamFilePath, withToken } from './stream-path.ts';

/** What a stream request carries, whichever server received it. */
export interface StreamRequest {
  /** The path, e.g. `/stream/<trackId>/aac-64k/seg-00001.m4s`. */
  pathname: string;
  /** The playback token of the `t` query parameter. */
  token: string | undefined;
  authorization: string | undefined;
  range: string | undefined;
  ifNoneMatch: string | undefined;
  acceptEncoding: string | undefined;
}

/** The answer to send. */
export interface StreamAnswer {
  status: number;
  headers: Record<string, string>;
  body: Uint8Array | string | null;
}

/** What the stream handler needs. */
export interface StreamDeps {
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

/**
 * The id of the `playback.started` event of a playback URL: the same for every fetch of its
 * master playlist, so a player that reloads it is one play (the bus drops the duplicate).
 */
export function playEventId(mediaToken: string): string {
  const h = createHash('sha256').update(mediaToken).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function failure(code: ApiErrorCode, message: string): StreamAnswer {
  return {
    status: apiErrorStatus[code],
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ error: { code, message } }),
  };
}

/** Sessions of API tokens have no Redis key; their playback tokens live until they expire. */
const isApiTokenSession = (sessionId: string) => sessionId.startsWith('api-token:');

/** The bearer value of an `Authorization` header. */
const bearerOf = (header: string | undefined) => /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')?.[1];

/**
 * Serves the HLS files of `GET /stream/:trackId/…`, independent of the HTTP framework so the
 * hot path can skip it: the playback token (or a bearer token, checked against the catalog) must
 * be for this track and its session alive; only file names of `[A-Za-z0-9_.-]` under the track's
 * own HLS prefix can be reached. Playlists are rewritten to carry the token (gzipped when
 * accepted); segments get `ETag`, 304, `Range` and immutable caching, from the segment cache.
 *
 * @example
 * const handle = streamHandler(deps);
 * const answer = await handle({ pathname, token, authorization, range, ifNoneMatch, acceptEncoding });
 */
export function streamHandler(deps: StreamDeps): (request: StreamRequest) => Promise<StreamAnswer> {
  return async function handleStream(request) {
    const [trackId = '', ...rest] = request.pathname.split('/').slice(2);
    if (!isTrackId(trackId)) return failure('invalid_request', 'not a track id');
    const path = streamFilePath(rest);
    if (!path) return failure('not_found', 'no such media file');

    let token = request.token;
    let grant;
    if (token) {
      grant = await deps.tokens.verify(token);
      if (!grant) return failure('unauthorized', 'the media token is not valid or has expired');
      if (grant.trackId !== trackId) return failure('forbidden', 'this media token is for another track');
      if (!isApiTokenSession(grant.sessionId)) {
        let alive;
        try {
          alive = await deps.sessions.isAlive(grant.sessionId);
        } catch {
          return failure('service_unavailable', 'sessions cannot be checked right now');
        }
        if (!alive) return failure('unauthorized', 'the session has ended');
      }
    } else {
      const bearer = bearerOf(request.authorization);
      if (!bearer) return failure('unauthorized', 'a media token or a bearer token is needed');
      let principal: Principal;
      try {
        principal = (await deps.authenticator.authenticate(bearer)).principal;
        await callRpc(deps.bus, getTrackMediaRpc, { id: trackId }, { principal, timeoutMs: deps.rpcTimeoutMs });
      } catch (error) {
        if (error instanceof AuthenticationError || error instanceof RpcError)
          return failure(error.code, error.message);
        throw error;
      }
      ({ token } = await deps.tokens.issue({ userId: principal.userId, sessionId: principal.sessionId, trackId }));
      grant = { userId: principal.userId, sessionId: principal.sessionId, trackId, expiresAt: 0 };
    }

    const object = await deps.objects.get(objectKeys.hlsPrefix(trackId) + path);
    if (!object) return failure('not_found', 'no such media file');
    const type = mediaTypeOf(path)!;
    if (path.endsWith('.m3u8')) {
      if (path === 'master.m3u8') {
        const data = { trackId, userId: grant.userId, sessionId: grant.sessionId, positionMs: 0 };
        deps.bus
          .publish('playback.started.v1', { data, ...(request.token ? { id: playEventId(token) } : {}) })
          .catch((error: unknown) => deps.logger.warn({ err: error }, 'could not publish playback.started'));
      }
      const text = withToken(Buffer.from(object.body).toString('utf8'), token);
      const headers = { 'content-type': type, 'cache-control': playlistCacheControl, vary: 'accept-encoding' };
      if (!/\bgzip\b/.test(request.acceptEncoding ?? '')) return { status: 200, headers, body: text };
      return { status: 200, headers: { ...headers, 'content-encoding': 'gzip' }, body: gzipSync(text) };
    }

    const headers: Record<string, string> = {
      'content-type': type,
      'cache-control': segmentCacheControl,
      etag: object.etag,
      'accept-ranges': 'bytes',
    };
    const ifNoneMatch = request.ifNoneMatch;
    if (ifNoneMatch && ifNoneMatch.split(',').some((tag) => tag.trim() === object.etag || tag.trim() === '*')) {
      return { status: 304, headers, body: null };
    }
    const size = object.body.byteLength;
    const range = parseRange(request.range, size);
    if (range === 'unsatisfiable') {
      return { status: 416, headers: { ...headers, 'content-range': `bytes */${size}` }, body: null };
    }
    if (range === 'whole') return { status: 200, headers, body: object.body };
    return {
      status: 206,
      headers: { ...headers, 'content-range': `bytes ${range.start}-${range.end}/${size}` },
      body: object.body.subarray(range.start, range.end + 1),
    };
  };
}
