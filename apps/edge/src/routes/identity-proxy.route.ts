import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { proxy } from 'hono/proxy';
import type { InstanceDirectory } from '../discovery/instance-directory.ts';
import { apiError } from './api-error.ts';

/**
 * Passes account, token and JWKS calls to a live identity instance found in discovery
 * (round-robin). `x-forwarded-for` is set to the client address (the socket peer, or the
 * right-most untrusted hop behind `EDGE_TRUSTED_PROXIES`), never copied from the client, so
 * identity's per-address rate limits cannot be dodged. An instance that refuses the connection
 * (stopped since discovery last looked) is passed over for the next one. No instance, or none
 * answering within `timeoutMs`, answers 503.
 */
export function identityProxy(deps: {
  identity: InstanceDirectory;
  timeoutMs: number;
  clientAddress: (c: Context) => string;
}): MiddlewareHandler {
  // Identity refuses JSON bodies over 100 kB itself; the edge buffers at most that much.
  const limit = bodyLimit({
    maxSize: 100 * 1024,
    onError: (c) => apiError(c, 'payload_too_large', 'the body is over 100 kB'),
  });
  return (c) =>
    limit(c, async () => {
      c.res = await forward(c);
    });

  async function forward(c: Context): Promise<Response> {
    const first = deps.identity.next()?.metadata.httpUrl;
    if (!first) return apiError(c, 'service_unavailable', 'the identity service is not running');
    const headers: Record<string, string | undefined> = {
      ...c.req.header(),
      host: undefined,
      'x-forwarded-for': deps.clientAddress(c),
      'x-forwarded-host': c.req.header('host'),
      'x-forwarded-proto': new URL(c.req.url).protocol.replace(':', ''),
      'x-request-id': c.get('requestId'),
    };
    const method = c.req.method;
    // Buffered (account calls are small) so a refused connection can be tried on the next instance.
    const body = method === 'GET' || method === 'HEAD' ? undefined : await c.req.raw.arrayBuffer();
    const deadline = AbortSignal.timeout(deps.timeoutMs);
    const tried = new Set<string>();
    for (
      let target: string | undefined = first;
      target && !tried.has(target);
      target = deps.identity.next()?.metadata.httpUrl
    ) {
      tried.add(target);
      const url = new URL(c.req.path + new URL(c.req.url).search, target);
      try {
        return await proxy(url, { method, body, headers, signal: deadline });
      } catch (error) {
        if (!connectionRefused(error)) break;
      }
    }
    return apiError(c, 'service_unavailable', 'the identity service did not answer');
  }
}

/**
 * An instance that stopped since discovery last looked refuses the connection: the request never
 * reached it, so another instance may take it, whatever the method.
 */
function connectionRefused(error: unknown): boolean {
  const cause = (error as { cause?: { code?: string } } | undefined)?.cause;
  return cause?.code === 'ECONNREFUSED';
}
