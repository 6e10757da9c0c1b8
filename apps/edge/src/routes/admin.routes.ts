import { platformStatus, type Bus } from '@tonearm/bus';
import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { Authenticator } from '../auth/authenticator.ts';
import { auth, type AuthVariables } from '../middleware/auth.middleware.ts';
import { apiError } from './api-error.ts';

const subjectFilter = /^[a-z0-9-]+(\.([a-z0-9-]+|\*))*(\.>)?$|^>$/;

/**
 * Operator routes, admins only: `GET /api/ops/status` (`platformStatus` of the bus: services found
 * on the bus with their instances and health, streams and consumers with pending, in-flight and
 * redelivered counts, dead letters)
 * and `GET /api/events?subject=` (Server-Sent Events, one per bus event of the namespace,
 * optionally filtered by a subject pattern after the namespace such as `ingest.>`; each carries its
 * correlation id so a feed can open its journey).
 */
export function adminRoutes(deps: { bus: Bus; authenticator: Authenticator }) {
  const { bus } = deps;
  const namespace = bus.topology.namespace;
  const admin = auth(deps.authenticator, { required: true, admin: true });
  return new Hono<{ Variables: AuthVariables }>()
    .get('/ops/status', admin, async (c) => c.json(await platformStatus(bus)))
    .get('/events', admin, (c) => {
      const filter = c.req.query('subject') ?? '>';
      if (!subjectFilter.test(filter))
        return apiError(c, 'invalid_request', 'subject must be a pattern such as ingest.>');
      return streamSSE(c, async (stream) => {
        const subscription = bus.nc.subscribe(`${namespace}.${filter}`);
        stream.onAbort(() => subscription.unsubscribe());
        for await (const message of subscription) {
          if (message.subject.startsWith(`${namespace}.rpc.`)) continue;
          let event: { id?: unknown; type?: unknown; occurredAt?: unknown; correlationId?: unknown; data?: unknown };
          try {
            event = message.json();
          } catch {
            continue;
          }
          if (typeof event.type !== 'string' || typeof event.id !== 'string') continue;
          const payload = {
            id: event.id,
            type: event.type,
            subject: message.subject,
            occurredAt: event.occurredAt,
            ...(typeof event.correlationId === 'string' ? { correlationId: event.correlationId } : {}),
            data: event.data,
          };
          await stream.writeSSE({ id: event.id, event: event.type, data: JSON.stringify(payload) });
        }
      });
    });
}
