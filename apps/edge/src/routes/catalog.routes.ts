import {
  deleteTrackRpc,
  getAlbumRpc,
  getArtistRpc,
  getTrackRpc,
  listAlbumsRpc,
  listArtistsRpc,
  listTracksRpc,
  searchRpc,
} from '@tonearm/contracts';
import { Hono } from 'hono';
import type { Authenticator } from '../auth/authenticator.ts';
import { auth, type AuthVariables } from '../middleware/auth.middleware.ts';
import { answerRpc, type RpcDeps } from './rpc-answer.ts';

/**
 * The catalog's queries: anyone may read (a bearer token, when sent, must be valid and shows the
 * caller's own processing and failed tracks too); deleting a track needs its owner or an admin.
 */
export function catalogRoutes(deps: RpcDeps & { authenticator: Authenticator }) {
  const read = auth(deps.authenticator, { required: false, scope: 'read' });
  const principal = (caller: AuthVariables['caller']) => caller?.principal ?? null;
  return new Hono<{ Variables: AuthVariables }>()
    .get('/tracks', read, (c) =>
      answerRpc(c, deps, listTracksRpc, c.req.query() as never, { principal: principal(c.var.caller) }),
    )
    .get('/tracks/:id', read, (c) =>
      answerRpc(c, deps, getTrackRpc, { id: c.req.param('id') }, { principal: principal(c.var.caller) }),
    )
    .delete('/tracks/:id', auth(deps.authenticator, { required: true, scope: 'ingest' }), (c) =>
      answerRpc(
        c,
        deps,
        deleteTrackRpc,
        { id: c.req.param('id') },
        { principal: principal(c.var.caller), status: 204 },
      ),
    )
    .get('/artists', read, (c) =>
      answerRpc(c, deps, listArtistsRpc, c.req.query() as never, { principal: principal(c.var.caller) }),
    )
    .get('/artists/:id', read, (c) =>
      answerRpc(c, deps, getArtistRpc, { id: c.req.param('id') }, { principal: principal(c.var.caller) }),
    )
    .get('/albums', read, (c) =>
      answerRpc(c, deps, listAlbumsRpc, c.req.query() as never, { principal: principal(c.var.caller) }),
    )
    .get('/albums/:id', read, (c) =>
      answerRpc(c, deps, getAlbumRpc, { id: c.req.param('id') }, { principal: principal(c.var.caller) }),
    )
    .get('/search', read, (c) =>
      answerRpc(c, deps, searchRpc, { q: '', ...c.req.query() } as never, { principal: principal(c.var.caller) }),
    );
}
