import type { InstanceHealth } from '@tonearm/contracts';
import type { Registry } from '@tonearm/runtime';
import { Hono } from 'hono';

/** `GET /healthz` (200 or 503 with every check) and `GET /metrics` (Prometheus text) on the public port. */
export function opsRoutes(deps: { health: () => Promise<InstanceHealth>; metrics: Registry }) {
  return new Hono()
    .get('/healthz', async (c) => {
      const health = await deps.health();
      return c.json(health, health.status === 'failing' ? 503 : 200);
    })
    .get('/metrics', async (c) =>
      c.body(await deps.metrics.metrics(), 200, { 'content-type': deps.metrics.contentType }),
    );
}
