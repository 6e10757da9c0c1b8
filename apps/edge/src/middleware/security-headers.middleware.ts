import type { MiddlewareHandler } from 'hono';

/** The security headers of every answer (hono's `secureHeaders` defaults), by name. */
export function securityHeaderValues(options: {
  crossOriginResourcePolicy: 'same-origin' | 'cross-origin';
}): Record<string, string> {
  return {
    'cross-origin-resource-policy': options.crossOriginResourcePolicy,
    'cross-origin-opener-policy': 'same-origin',
    'origin-agent-cluster': '?1',
    'referrer-policy': 'no-referrer',
    'strict-transport-security': 'max-age=15552000; includeSubDomains',
    'x-content-type-options': 'nosniff',
    'x-dns-prefetch-control': 'off',
    'x-download-options': 'noopen',
    'x-frame-options': 'SAMEORIGIN',
    'x-permitted-cross-domain-policies': 'none',
    'x-xss-protection': '0',
  };
}

/**
 * Sets the security headers before the handler runs, so a media answer keeps node-server's fast
 * path: hono's own `secureHeaders` sets them on the finished response, which makes it copy every
 * segment body once more.
 */
export function securityHeaders(options: {
  crossOriginResourcePolicy: 'same-origin' | 'cross-origin';
}): MiddlewareHandler {
  const headers = Object.entries(securityHeaderValues(options));
  return async function securityHeadersMiddleware(c, next) {
    for (const [name, value] of headers) c.header(name, value);
    await next();
    if (c.req.path.startsWith('/stream/')) return;
    // Answers made as a Response (proxied pages and accounts) do not carry headers set before.
    for (const [name, value] of headers) if (!c.res.headers.has(name)) c.res.headers.set(name, value);
  };
}
