import { serve } from '@hono/node-server';
import { portVariable } from '@tonearm/runtime';
import { startService } from '@tonearm/service-host';
import { z } from 'zod';
import packageJson from '../package.json' with { type: 'json' };
import { createEdgeApp } from './app.ts';
import { watchInstances } from './discovery/instance-directory.ts';

const service = await startService({
  name: 'edge',
  version: packageJson.version,
  description: 'Public HTTP entry: API, HLS delivery and web pages',
  env: {
    EDGE_PORT: portVariable(8080),
    EDGE_HOST: z.string().min(1).default('0.0.0.0'),
    EDGE_UPSTREAM_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  },
});

const web = watchInstances(service.bus, 'web', { logger: service.logger, accept: (i) => !!i.metadata.httpUrl });
await web.refresh();
service.addHealthCheck('web', () =>
  web.size() > 0
    ? { status: 'ok', detail: `${web.size()} instance(s)` }
    : { status: 'degraded', detail: 'no web instance' },
);

const app = createEdgeApp({
  logger: service.logger,
  metrics: service.metrics,
  health: service.health,
  web,
  upstreamTimeoutMs: service.env.EDGE_UPSTREAM_TIMEOUT_MS,
});
const server = serve({ fetch: app.fetch, port: service.env.EDGE_PORT, hostname: service.env.EDGE_HOST }, (info) =>
  service.logger.info({ port: info.port }, `edge listening on http://localhost:${info.port}`),
);
service.onShutdown(async () => {
  web.stop();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
