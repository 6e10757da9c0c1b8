import { listInstances, type Bus } from '@tonearm/bus';
import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { Authenticator } from '../auth/authenticator.ts';
import { auth, type AuthVariables } from '../middleware/auth.middleware.ts';
import { apiError } from './api-error.ts';

const subjectFilter = /^[a-z0-9-]+(\.([a-z0-9-]+|\*))*(\.>)?$|^>$/;

/**
 * Operator routes, admins only: `GET /api/ops/status` (services found on the bus with their
 * instances and health, streams and consumers with pending and redelivered counts, dead letters)
 * and `GET /api/events?subject=` (Server-Sent Events, one per bus event of the namespace,
 * optionally filtered by a subject pattern after the namespace such as `ingest.>`).
 */
export function adminRoutes(deps: { bus: Bus; authenticator: Authenticator }) {
  const { bus } = deps;
  const namespace = bus.topology.namespace;
  const admin = auth(deps.authenticator, { required: true, admin: true });
  return new Hono<{ Variables: AuthVariables }>()
    .get('/ops/status', admin, async (c) => {
      const instances = await listInstances(bus, { withHealth: true });
      const services: Record<string, { instances: unknown[] }> = {};
      for (const instance of instances) {
        (services[instance.name] ??= { instances: [] }).instances.push({
          id: instance.id,
          version: instance.version,
          startedAt: instance.metadata.startedAt,
          health: instance.health,
        });
      }
      const streams = await Promise.all(
        bus.topology.streams.map(async (stream) => {
          const info = await bus.jsm.streams.info(stream.name).catch(() => undefined);
          const consumers = [];
          if (info) {
            for await (const consumer of bus.jsm.consumers.list(stream.name)) {
              consumers.push({
                name: consumer.name,
                pending: consumer.num_pending,
                ackPending: consumer.num_ack_pending,
                redelivered: consumer.num_redelivered,
              });
            }
          }
          return {
            key: stream.key,
            name: stream.name,
            messages: info?.state.messages ?? null,
            bytes: info?.state.bytes ?? null,
            consumers,
          };
        }),
      );
      const deadLetterSubject = bus.topology.subjectOf('ops.message.dead-lettered.v1');
      const ops = bus.topology.stream('ops').name;
      const opsInfo = await bus.jsm.streams.info(ops, { subjects_filter: deadLetterSubject }).catch(() => undefined);
      return c.json({ services, streams, deadLetters: opsInfo?.state.subjects?.[deadLetterSubject] ?? 0 });
    })
    .get('/events', admin, (c) => {
      const filter = c.req.query('subject') ?? '>';
      if (!subjectFilter.test(filter))
        return apiError(c, 'invalid_request', 'subject must be a pattern such as ingest.>');
      return streamSSE(c, async (stream) => {
        const subscription = bus.nc.subscribe(`${namespace}.${filter}`);
        stream.onAbort(() => subscription.unsubscribe());
        for await (const message of subscription) {
          if (message.subject.startsWith(`${namespace}.rpc.`)) continue;
          let event: { id?: unknown; type?: unknown; occurredAt?: unknown; data?: unknown };
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
            data: event.data,
          };
          await stream.writeSSE({ id: event.id, event: event.type, data: JSON.stringify(payload) });
        }
      });
    });
}
