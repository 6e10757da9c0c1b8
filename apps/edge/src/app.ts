import type { Bus } from '@tonearm/bus';
import type { InstanceHealth } from '@tonearm/contracts';
import type { Logger, Registry } from '@tonearm/runtime';
import { Hono, type Context } from 'hono';
import { cors } from 'hono/cors';
import { requestId } from 'hono/request-id';
import type { Authenticator } from './auth/authenticator.ts';
import type { SessionChecker } from './auth/session-checker.ts';
import type { InstanceDirectory } from './discovery/instance-directory.ts';
import type { MediaObjects } from './media/media-objects.ts';
import type { MediaTokens } from './media/media-token.ts';
import { pathGuard } from './middleware/path-guard.middleware.ts';
import { rateLimit } from './middleware/rate-limit.middleware.ts';
import type { FixedWindowLimiter, Rate } from './ratelimit/fixed-window-limiter.ts';
import { getRequestListener } from '@hono/node-server';
import { hotSegmentListener } from './http/hot-segment-listener.ts';
import { streamHandler } from './media/stream-handler.ts';
import { requestContext, requestObserver, type RequestObserver } from './middleware/request-context.middleware.ts';
import { securityHeaderValues, securityHeaders } from './middleware/security-headers.middleware.ts';
import { openApiDocument } from './openapi/openapi-document.ts';
import { adminOpsRoutes } from './routes/admin-ops.routes.ts';
import { adminRoutes } from './routes/admin.routes.ts';
import { apiError } from './routes/api-error.ts';
import { catalogRoutes } from './routes/catalog.routes.ts';
import { coverRoutes } from './routes/cover.routes.ts';
import { identityProxy } from './routes/identity-proxy.route.ts';
import { mediaRoutes } from './routes/media.routes.ts';
import { opsRoutes } from './routes/ops.routes.ts';
import { uploadEventsRoutes } from './routes/upload-events.routes.ts';
import { uploadsRoutes } from './routes/uploads.routes.ts';
import { webPages } from './routes/web-pages.route.ts';

/** What the edge needs from the process around it. */
export interface EdgeDependencies {
  version: string;
  logger: Logger;
  metrics: Registry;
  health: () => Promise<InstanceHealth>;
  web: InstanceDirectory;
  identity: InstanceDirectory;
  bus: Bus;
  authenticator: Authenticator;
  sessions: SessionChecker;
  tokens: MediaTokens;
  objects: MediaObjects;
  upstreamTimeoutMs: number;
  rpcTimeoutMs: number;
  /** Browser origins allowed to call the API and fetch media cross-origin; none when empty. */
  corsOrigins: readonly string[];
  /** A request's client address: the socket peer, or the right-most untrusted `x-forwarded-for` hop behind trusted proxies. */
  clientAddress: (c: Context) => string;
  /** Counts register and refresh calls per client address in Redis. */
  limiter: FixedWindowLimiter;
  /** The live `ratelimit.auth` setting. */
  authRate: () => Rate;
}

/**
 * The edge's HTTP application: the one public origin. Operations routes, accounts proxied to
 * identity, uploads and catalog onto their services' bus operations, playback and HLS from
 * storage, then the web app's pages for everything else.
 */
export function createEdgeApp(deps: EdgeDependencies, observe: RequestObserver = requestObserver(deps)) {
  const openApi = openApiDocument(deps.version);
  // Only cross-origin calls pay for CORS: hono's cors rebuilds the response to add its headers.
  const allowCors = cors({
    origin: (origin) => (deps.corsOrigins.includes(origin) ? origin : null),
    allowHeaders: ['authorization', 'content-type', 'range', 'if-none-match', 'traceparent'],
    allowMethods: ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS'],
    exposeHeaders: ['x-request-id', 'retry-after', 'etag', 'content-range', 'accept-ranges'],
    maxAge: 600,
  });
  const toIdentity = identityProxy({
    identity: deps.identity,
    timeoutMs: deps.upstreamTimeoutMs,
    clientAddress: deps.clientAddress,
  });
  const limitAuth = (scope: string) =>
    rateLimit({ limiter: deps.limiter, rate: deps.authRate, clientAddress: deps.clientAddress, scope });
  return new Hono()
    .use(requestId({ headerName: 'x-request-id' }))
    .use(requestContext(observe))
    .use(pathGuard())
    .use(securityHeaders({ crossOriginResourcePolicy: deps.corsOrigins.length > 0 ? 'cross-origin' : 'same-origin' }))
    .use(async (c, next) => (c.req.header('origin') && deps.corsOrigins.length > 0 ? allowCors(c, next) : next()))
    .route('/', opsRoutes(deps))
    .post('/api/auth/register', limitAuth('register'))
    .post('/api/auth/refresh', limitAuth('refresh'))
    .all('/api/auth/*', toIdentity)
    .all('/api/me', toIdentity)
    .all('/api/tokens', toIdentity)
    .all('/api/tokens/*', toIdentity)
    .get('/.well-known/jwks.json', toIdentity)
    .get('/api/openapi.json', (c) => c.json(openApi))
    .route('/api', adminRoutes(deps))
    .route('/api', adminOpsRoutes(deps))
    .route('/', mediaRoutes(deps))
    .route('/api/uploads', uploadEventsRoutes(deps))
    .route('/api/uploads', uploadsRoutes(deps))
    .route('/api', coverRoutes(deps))
    .route('/api', catalogRoutes(deps))
    .all('/api/*', (c) => apiError(c, 'not_found', `no route ${c.req.method} ${c.req.path}`))
    .all('/stream/*', (c) => apiError(c, 'not_found', 'no such media file'))
    .all('*', webPages({ web: deps.web, timeoutMs: deps.upstreamTimeoutMs }))
    .onError((error, c) => {
      deps.logger.error({ err: error }, 'request failed');
      return apiError(c, 'internal', 'something went wrong on our side');
    });
}

/**
 * The edge's node request listener: hot segment requests straight to the stream handler, the
 * rest through {@link createEdgeApp}, with one access log and one duration metric for both.
 *
 * @example
 * createServer(createEdgeListener(deps)).listen(8080);
 */
export function createEdgeListener(deps: EdgeDependencies) {
  const observe = requestObserver(deps);
  const app = createEdgeApp(deps, observe);
  const crossOriginResourcePolicy = deps.corsOrigins.length > 0 ? 'cross-origin' : 'same-origin';
  return hotSegmentListener({
    handle: streamHandler(deps),
    observe,
    headers: securityHeaderValues({ crossOriginResourcePolicy }),
    logger: deps.logger,
    fallback: getRequestListener(app.fetch),
  });
}
