import {
  correlationJourney,
  DeadLetterNotFoundError,
  dropDeadLetter,
  getDeadLetter,
  listDeadLetters,
  retryDeadLetter,
  type Bus,
} from '@tonearm/bus';
import { correlationIdSchema, deadLetterSeqSchema, listDeadLettersQuerySchema } from '@tonearm/contracts';
import { Hono, type Context } from 'hono';
import type { Authenticator } from '../auth/authenticator.ts';
import { auth, type AuthVariables } from '../middleware/auth.middleware.ts';
import { apiError } from './api-error.ts';

function seqOf(c: Context): number | undefined {
  const parsed = deadLetterSeqSchema.safeParse({ seq: c.req.param('seq') });
  return parsed.success ? parsed.data.seq : undefined;
}

async function orNotFound(c: Context, work: () => Promise<Response>): Promise<Response> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof DeadLetterNotFoundError) return apiError(c, 'not_found', error.message);
    throw error;
  }
}

const badSeq = 'the dead letter is named by its sequence in the ops stream, a positive integer';

/**
 * Operator routes to fix what is stuck, admins only: the dead letters of the ops stream (list,
 * show with the original message, retry onto the original subject, drop) and the journey of one
 * correlation id (every stored event of one upload through every service).
 */
export function adminOpsRoutes(deps: { bus: Bus; authenticator: Authenticator }) {
  const { bus } = deps;
  const admin = auth(deps.authenticator, { required: true, admin: true });
  return new Hono<{ Variables: AuthVariables }>()
    .get('/ops/dead-letters', admin, async (c) => {
      const query = listDeadLettersQuerySchema.safeParse(c.req.query());
      if (!query.success) return apiError(c, 'invalid_request', 'limit must be 1 to 500; consumer a durable name');
      const items = await listDeadLetters(bus, query.data);
      return c.json({ items });
    })
    .get('/ops/dead-letters/:seq', admin, (c) => {
      const seq = seqOf(c);
      if (seq === undefined) return Promise.resolve(apiError(c, 'invalid_request', badSeq));
      return orNotFound(c, async () => c.json(await getDeadLetter(bus, seq)));
    })
    .post('/ops/dead-letters/:seq/retry', admin, (c) => {
      const seq = seqOf(c);
      if (seq === undefined) return Promise.resolve(apiError(c, 'invalid_request', badSeq));
      return orNotFound(c, async () => c.json(await retryDeadLetter(bus, seq)));
    })
    .delete('/ops/dead-letters/:seq', admin, (c) => {
      const seq = seqOf(c);
      if (seq === undefined) return Promise.resolve(apiError(c, 'invalid_request', badSeq));
      return orNotFound(c, async () => {
        await dropDeadLetter(bus, seq);
        return c.body(null, 204);
      });
    })
    .get('/ops/journey/:correlationId', admin, async (c) => {
      const parsed = correlationIdSchema.safeParse({ correlationId: c.req.param('correlationId') });
      if (!parsed.success) return apiError(c, 'invalid_request', 'a correlation id has 1 to 200 characters');
      return c.json(await correlationJourney(bus, parsed.data.correlationId));
    });
}
