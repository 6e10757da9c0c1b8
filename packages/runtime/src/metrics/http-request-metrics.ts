import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Histogram, type Registry } from 'prom-client';
import { childTraceparent, runWithContext } from '../context/request-context.ts';

/** A request as Express leaves it after routing: the matched route's pattern, if any. */
type RoutedRequest = IncomingMessage & { route?: { path?: unknown }; baseUrl?: string };

const REQUEST_ID = /^[\w.:-]{1,200}$/;

/** The route pattern a request matched (`/api/auth/sessions/:id`), never its raw path, so series stay few. */
export function routeOf(req: RoutedRequest): string {
  const path = req.route?.path;
  return typeof path === 'string' ? `${req.baseUrl ?? ''}${path}` : 'unmatched';
}

/**
 * Connect/Express middleware for a Node HTTP service behind the edge: records
 * `http_request_duration_seconds{method,route,status}` (the edge's series, so one dashboard
 * panel covers both) and runs the request in a context whose correlation id is the caller's
 * `x-request-id` (the edge's request id) or a new one, so its log lines and events carry it.
 *
 * @example
 * app.use(httpRequestMetrics(service.metrics));
 */
export function httpRequestMetrics(registry: Registry) {
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP requests served, by method, route pattern and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
    registers: [registry],
  });
  return (req: RoutedRequest, res: ServerResponse, next: () => void): void => {
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      duration.observe({ method: req.method ?? 'GET', route: routeOf(req), status: String(res.statusCode) }, seconds);
    });
    const incoming = req.headers['x-request-id'];
    const correlationId = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    const traceparent = req.headers.traceparent;
    runWithContext(
      { correlationId, traceparent: childTraceparent(typeof traceparent === 'string' ? traceparent : undefined) },
      next,
    );
  };
}
