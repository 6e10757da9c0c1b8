import { callRpc, RpcError } from '@tonearm/bus';
import { getTrackMediaRpc, playbackEventRequestSchema, type Principal } from '@tonearm/contracts';
import { Hono, type Context } from 'hono';
import { auth, type AuthVariables } from '../middleware/auth.middleware.ts';
import { streamHandler, type StreamDeps } from '../media/stream-handler.ts';
import { apiError } from './api-error.ts';
import { rpcErrorAnswer } from './rpc-answer.ts';

/** What the playback and stream routes need: the same as the stream handler they share. */
export type MediaDeps = StreamDeps;

/** Media keys of a track the principal may see; an RpcError (not_found…) otherwise. */
function trackMedia(deps: MediaDeps, principal: Principal, id: string) {
  return callRpc(deps.bus, getTrackMediaRpc, { id }, { principal, timeoutMs: deps.rpcTimeoutMs });
}

function rpcFailure(c: Context, error: unknown) {
  if (error instanceof RpcError) return rpcErrorAnswer(c, error);
  throw error;
}

/**
 * `GET /api/tracks/:id/playback` and `/waveform`, `POST /api/tracks/:id/playback/events` (a
 * player's progress and end, for play counts and history), and the HLS files under
 * `GET /stream/:trackId/…` (see {@link streamHandler}; the node server sends hot segment
 * requests to the same handler without going through Hono).
 */
export function mediaRoutes(deps: MediaDeps) {
  const read = auth(deps.authenticator, { required: true, scope: 'read' });
  const handleStream = streamHandler(deps);
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
      const answer = await handleStream({
        pathname: new URL(c.req.url).pathname,
        token: c.req.query('t'),
        authorization: c.req.header('authorization'),
        range: c.req.header('range'),
        ifNoneMatch: c.req.header('if-none-match'),
        acceptEncoding: c.req.header('accept-encoding'),
      });
      if (answer.body === null) return c.body(null, answer.status as 200, answer.headers);
      return c.body(answer.body as Uint8Array<ArrayBuffer> | string, answer.status as 200, answer.headers);
    });
}
