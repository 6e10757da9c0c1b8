import type { MiddlewareHandler } from 'hono';
import { proxy } from 'hono/proxy';
import type { InstanceDirectory } from '../discovery/instance-directory.ts';
import { apiError } from './api-error.ts';

/**
 * Serves the web app's pages on the edge's origin by passing the request to a live web
 * instance. With none live, or one that does not answer within `timeoutMs`, the client gets a
 * 503 at once rather than a hang.
 */
export function webPages(deps: { web: InstanceDirectory; timeoutMs: number }): MiddlewareHandler {
  return async function webPagesProxy(c) {
    const target = deps.web.next()?.metadata.httpUrl;
    if (!target) return apiError(c, 'service_unavailable', 'the web app is not running');
    const url = new URL(c.req.path + new URL(c.req.url).search, target);
    try {
      return await proxy(url, {
        raw: c.req.raw,
        headers: {
          ...c.req.header(),
          'x-forwarded-host': c.req.header('host'),
          'x-forwarded-proto': new URL(c.req.url).protocol.replace(':', ''),
          'x-request-id': c.get('requestId'),
        },
        signal: AbortSignal.timeout(deps.timeoutMs),
      });
    } catch {
      return apiError(c, 'service_unavailable', 'the web app did not answer');
    }
  };
}
