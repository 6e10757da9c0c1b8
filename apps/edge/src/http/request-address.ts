import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import { clientAddress, type TrustedProxies } from './client-address.ts';

/** The socket peer of a request, when the edge runs on a Node server. */
function peerAddress(c: Context): string | undefined {
  try {
    return getConnInfo(c).remote.address;
  } catch {
    return undefined;
  }
}

/**
 * Finds a request's client address: its socket peer, or behind trusted proxies the right-most
 * untrusted `x-forwarded-for` hop (see {@link clientAddress}).
 *
 * @example
 * const addressOf = requestAddress(trustedProxies(env.EDGE_TRUSTED_PROXIES));
 * addressOf(c); // '203.0.113.7'
 */
export function requestAddress(trusted: TrustedProxies): (c: Context) => string {
  return (c) =>
    clientAddress({ peer: peerAddress(c) ?? '127.0.0.1', forwardedFor: c.req.header('x-forwarded-for'), trusted });
}
