import { abortUploadRpc, completeUploadRpc, createUploadRpc, getUploadRpc } from '@tonearm/contracts';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Authenticator } from '../auth/authenticator.ts';
import { auth, type AuthVariables } from '../middleware/auth.middleware.ts';
import { apiError } from './api-error.ts';
import { answerRpc, jsonObjectBody, type RpcDeps } from './rpc-answer.ts';

/** `/api/uploads*` onto ingest's upload operations, for signed-in users and API tokens with `ingest`. */
export function uploadsRoutes(deps: RpcDeps & { authenticator: Authenticator }) {
  return (
    new Hono<{ Variables: AuthVariables }>()
      .use('*', auth(deps.authenticator, { required: true, scope: 'ingest' }))
      // Bodies travel on to ingest as one bus message: refuse what cannot fit (NATS' 1 MB default)
      // here, with 413, instead of failing the call. 10 000 completed parts take about 600 kB.
      .use(
        '*',
        bodyLimit({
          maxSize: 900_000,
          onError: (c) => apiError(c, 'payload_too_large', 'the body is over 900 kB'),
        }),
      )
      .post('/', async (c) => {
        const body = await jsonObjectBody(c);
        if (!body) return apiError(c, 'invalid_request', 'the body must be a JSON object');
        return answerRpc(c, deps, createUploadRpc, body as never, { principal: c.var.caller!.principal, status: 201 });
      })
      .get('/:uploadId', (c) =>
        answerRpc(c, deps, getUploadRpc, { uploadId: c.req.param('uploadId') }, { principal: c.var.caller!.principal }),
      )
      .post('/:uploadId/complete', async (c) => {
        const body = await jsonObjectBody(c);
        if (!body) return apiError(c, 'invalid_request', 'the body must be a JSON object');
        const input = { parts: body.parts, uploadId: c.req.param('uploadId') };
        return answerRpc(c, deps, completeUploadRpc, input as never, {
          principal: c.var.caller!.principal,
          status: 202,
        });
      })
      .delete('/:uploadId', (c) =>
        answerRpc(
          c,
          deps,
          abortUploadRpc,
          { uploadId: c.req.param('uploadId') },
          { principal: c.var.caller!.principal, status: 204 },
        ),
      )
  );
}
