import type { Context, MiddlewareHandler } from 'hono';
import { proxy } from 'hono/proxy';
import type { InstanceDirectory } from '../discovery/instance-directory.ts';
import { apiError } from './api-error.ts';

/**
 * Passes account, token and JWKS calls to a live identity instance found in discovery
 * (round-robin). `x-forwarded-for` is set to the client address (the socket peer, or the
 * right-most untrusted hop behind `EDGE_TRUSTED_PROXIES`), never copied from the client, so
 * identity's per-address rate limits cannot be dodged. No instance, or one that does not answer
 * within `timeoutMs`, answers 503 at once.
 */
export function identityProxy(deps: {
  identity: InstanceDirectory;
  timeoutMs: number;
  clientAddress: (c: Context) => string;
}): MiddlewareHandler {
  return async function identityProxyHandler(c) {
    const target = deps.identity.next()?.metadata.httpUrl;
    if (!target) return apiError(c, 'service_unavailable', 'the identity service is not running');
    const url = new URL(c.req.path + new URL(c.req.url).search, target);
    const headers: Record<string, string | undefined> = {
      ...c.req.header(),
      host: undefined,
      'x-forwarded-for': deps.clientAddress(c),
      'x-forwarded-host': c.req.header('host'),
      'x-forwarded-proto': new URL(c.req.url).protocol.replace(':', ''),
      'x-request-id': c.get('requestId'),
    };
    try {
      return await proxy(url, { raw: c.req.raw, headers, signal: AbortSignal.timeout(deps.timeoutMs) });
    } catch {
      return apiError(c, 'service_unavailable', 'the identity service did not answer');
    }
  };
}
