import type { InstanceHealth } from '@tonearm/contracts';
import type { Logger, Registry } from '@tonearm/runtime';
import { Hono } from 'hono';
import { requestId } from 'hono/request-id';
import type { InstanceDirectory } from './discovery/instance-directory.ts';
import { requestContext } from './middleware/request-context.middleware.ts';
import { apiError } from './routes/api-error.ts';
import { opsRoutes } from './routes/ops.routes.ts';
import { webPages } from './routes/web-pages.route.ts';

/** What the edge needs from the process around it. */
export interface EdgeDependencies {
  logger: Logger;
  metrics: Registry;
  health: () => Promise<InstanceHealth>;
  web: InstanceDirectory;
  upstreamTimeoutMs: number;
}

/**
 * The edge's HTTP application: the one public origin. Operations routes, then the web app's
 * pages for everything else; the API routes of later issues mount under `/api`.
 */
export function createEdgeApp(deps: EdgeDependencies) {
  return new Hono()
    .use(requestId({ headerName: 'x-request-id' }))
    .use(requestContext(deps))
    .route('/', opsRoutes(deps))
    .all('/api/*', (c) => apiError(c, 'not_found', `no route ${c.req.method} ${c.req.path}`))
    .all('*', webPages({ web: deps.web, timeoutMs: deps.upstreamTimeoutMs }))
    .onError((error, c) => {
      deps.logger.error({ err: error }, 'request failed');
      return apiError(c, 'internal', 'something went wrong on our side');
    });
}
