import { randomUUID } from 'node:crypto';
import type { RequestListener } from 'node:http';
import { childTraceparent, runWithContext, type Logger } from '@tonearm/runtime';
import type { StreamAnswer, StreamRequest } from '../media/stream-handler.ts';
import { isBendingPath } from '../middleware/path-guard.middleware.ts';
import type { RequestObserver } from '../middleware/request-context.middleware.ts';

const requestIdPattern = /^[\w\-=]{1,255}$/;
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
    const traceparent = childTraceparent(
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
      res.writeHead(answer.status, {
        ...options.headers,
        ...answer.headers,
        'x-request-id': requestId,
        ...(body ? { 'content-length': String(body.byteLength) } : {}),
      });
      res.end(method === 'HEAD' || !body ? undefined : body);
      const seconds = (performance.now() - started) / 1000;
      options.observe({ method, route: '/stream/*', path: pathname, status: answer.status, seconds });
    });
  };
}
