import { childTraceparent, runWithContext, type Logger, type Registry } from '@tonearm/runtime';
import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import { Histogram } from 'prom-client';

/**
 * Runs each request in a context whose correlation id is the request id, continues the
 * caller's W3C trace, writes one access log line and records the request's duration by route
 * and status.
 */
export function requestContext(deps: { logger: Logger; metrics: Registry }): MiddlewareHandler {
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP requests served by the edge, by route and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
    registers: [deps.metrics],
  });
  return async function requestContextMiddleware(c, next) {
    const started = performance.now();
    const traceparent = childTraceparent(c.req.header('traceparent'));
    await runWithContext({ correlationId: c.get('requestId'), traceparent }, async () => {
      await next();
      const seconds = (performance.now() - started) / 1000;
      const route = routePath(c);
      duration.labels(c.req.method, route, String(c.res.status)).observe(seconds);
      deps.logger.info(
        { method: c.req.method, path: c.req.path, status: c.res.status, ms: Math.round(seconds * 1000) },
        'request',
      );
    });
  };
}
