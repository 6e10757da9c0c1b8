import { randomUUID } from 'node:crypto';
import type { RequestListener } from 'node:http';
import { childTraceparent, runWithContext, type Logger } from '@tonearm/runtime';
import type { StreamAnswer, StreamRequest } from '../media/stream-handler.ts';
import { isBendingPath } from '../middleware/path-guard.middleware.ts';
import type { RequestObserver } from '../middleware/request-context.middleware.ts';

const requestIdPattern = /^[\w\-=]{1,255}$/;

/**
 * A `traceparent` for this request's span: the caller's trace continued when it sent one, else a
 * new trace. New ids come from `randomUUID`, whose entropy node draws in batches: cheaper than
 * `randomBytes` on every segment request.
 */
export function segmentTraceparent(parent: string | undefined): string {
  if (parent !== undefined) return childTraceparent(parent);
  const trace = randomUUID();
  const span = randomUUID();
  return `00-${trace.slice(0, 8)}${trace.slice(9, 13)}${trace.slice(14, 18)}${trace.slice(19, 23)}${trace.slice(24)}-${span.slice(0, 8)}${span.slice(9, 13)}${span.slice(14, 18)}-01`;
}
const internalError = JSON.stringify({ error: { code: 'internal', message: 'something went wrong on our side' } });

/**
 * The node request listener of the edge: same-origin `GET`/`HEAD` requests under `/stream/` go
 * straight to the stream handler (a player fetches a segment every few seconds, and Hono's
 * Request/Response round trip costs more than the checks themselves); everything else, and any
 * stream path a guard would refuse, goes to `fallback` (the Hono app). The hot path keeps what
 * the app gives every answer: the request id (from `x-request-id` when valid), the correlation
 * context, the security headers, the access log line and the duration metric.
 *
 * @example
 * createServer(hotSegmentListener({ handle: streamHandler(deps), observe, headers, logger, fallback }));
 */
export function hotSegmentListener(options: {
  handle: (request: StreamRequest) => Promise<StreamAnswer>;
  observe: RequestObserver;
  headers: Record<string, string>;
  logger: Logger;
  fallback: RequestListener;
}): RequestListener {
  const fixedHeaders = Object.entries(options.headers).flat();
  return function edgeRequestListener(req, res) {
    const url = req.url ?? '/';
    const method = req.method ?? 'GET';
    if ((method !== 'GET' && method !== 'HEAD') || !url.startsWith('/stream/') || req.headers.origin !== undefined) {
      return options.fallback(req, res);
    }
    const queryAt = url.indexOf('?');
    const pathname = queryAt === -1 ? url : url.slice(0, queryAt);
    if (isBendingPath(pathname)) return options.fallback(req, res);
    const started = performance.now();
    const incoming = req.headers['x-request-id'];
    const requestId = typeof incoming === 'string' && requestIdPattern.test(incoming) ? incoming : randomUUID();
    const traceparent = segmentTraceparent(
      typeof req.headers.traceparent === 'string' ? req.headers.traceparent : undefined,
    );
    void runWithContext({ correlationId: requestId, traceparent }, async () => {
      let answer: StreamAnswer;
      try {
        answer = await options.handle({
          pathname,
          token: queryAt === -1 ? undefined : (new URLSearchParams(url.slice(queryAt + 1)).get('t') ?? undefined),
          authorization: req.headers.authorization,
          range: req.headers.range,
          ifNoneMatch: req.headers['if-none-match'],
          acceptEncoding:
            typeof req.headers['accept-encoding'] === 'string' ? req.headers['accept-encoding'] : undefined,
        });
      } catch (error) {
        options.logger.error({ err: error }, 'request failed');
        answer = { status: 500, headers: { 'content-type': 'application/json' }, body: internalError };
      }
      const body = typeof answer.body === 'string' ? Buffer.from(answer.body) : answer.body;
      // One flat list: node writes it as is, with no header object to build and walk.
      const headers = [...fixedHeaders, 'x-request-id', requestId];
      for (const name in answer.headers) headers.push(name, answer.headers[name]!);
      if (body) headers.push('content-length', String(body.byteLength));
      res.writeHead(answer.status, headers);
      res.end(method === 'HEAD' || !body ? undefined : body);
      const seconds = (performance.now() - started) / 1000;
      options.observe({ method, route: '/stream/*', path: pathname, status: answer.status, seconds });
    });
  };
}
