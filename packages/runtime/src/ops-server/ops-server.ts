import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { InstanceHealth } from '@tonearm/contracts';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';

/** What the operations port shows. */
export interface OpsServerOptions {
  host: string;
  /** 0 picks any free port; the URL in the result says which. */
  port: number;
  registry: Registry;
  health: () => Promise<InstanceHealth>;
  /** Read-only views served as JSON, such as the applied runtime settings (`/settings`). */
  views?: Record<string, () => unknown>;
  logger: Logger;
}

/** A running operations server. */
export interface OpsServer {
  url: string;
  close(): Promise<void>;
}

/**
 * Starts the operations HTTP server of a process: `GET /healthz` (200 when ok or degraded, 503
 * when failing, with every check), `GET /metrics` (Prometheus text) and one JSON route per view.
 */
export async function startOpsServer(options: OpsServerOptions): Promise<OpsServer> {
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://ops').pathname;
    const send = (status: number, body: string, contentType = 'application/json') => {
      response.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store' }).end(body);
    };
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return send(405, JSON.stringify({ error: { code: 'invalid_request', message: 'only GET is served here' } }));
    }
    const view = options.views?.[path.slice(1)];
    const answer = async () => {
      if (path === '/healthz') {
        const health = await options.health();
        return send(health.status === 'failing' ? 503 : 200, JSON.stringify(health));
      }
      if (path === '/metrics') return send(200, await options.registry.metrics(), options.registry.contentType);
      if (view) return send(200, JSON.stringify(view()));
      return send(404, JSON.stringify({ error: { code: 'not_found', message: `no route ${path}` } }));
    };
    answer().catch((error: unknown) => {
      options.logger.error({ err: error, path }, 'ops request failed');
      if (!response.headersSent)
        send(500, JSON.stringify({ error: { code: 'internal', message: 'ops request failed' } }));
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
