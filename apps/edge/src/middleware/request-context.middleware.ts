import { childTraceparent, runWithContext, type Logger, type Registry } from '@tonearm/runtime';
import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import { Histogram } from 'prom-client';

/** One finished request, as the access log and the duration histogram see it. */
export interface FinishedRequest {
  method: string;
  route: string;
  path: string;
  status: number;
  seconds: number;
}

/** Writes the access log line and records the duration of a finished request. */
export type RequestObserver = (request: FinishedRequest) => void;

/**
 * The access log and the `http_request_duration_seconds` histogram (by method, route and
 * status), shared by the Hono app and the node server's hot segment path.
 */
export function requestObserver(deps: { logger: Logger; metrics: Registry }): RequestObserver {
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP requests served by the edge, by route and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
    registers: [deps.metrics],
  });
  const series = new Map<string, ReturnType<typeof duration.labels>>();
  return ({ method, route, path, status, seconds }) => {
    const key = `${method} ${status} ${route}`;
    let child = series.get(key);
    if (!child) series.set(key, (child = duration.labels(method, route, String(status))));
    child.observe(seconds);
    deps.logger.info({ method, path, status, ms: Math.round(seconds * 1000) }, 'request');
  };
}

/**
 * Runs each request in a context whose correlation id is the request id, continues the
 * caller's W3C trace, and hands the finished request to the observer.
 */
export function requestContext(observe: RequestObserver): MiddlewareHandler {
  return async function requestContextMiddleware(c, next) {
    const started = performance.now();
    const traceparent = childTraceparent(c.req.header('traceparent'));
    await runWithContext({ correlationId: c.get('requestId'), traceparent }, async () => {
      await next();
      const seconds = (performance.now() - started) / 1000;
      observe({ method: c.req.method, route: routePath(c), path: c.req.path, status: c.res.status, seconds });
    });
  };
}
