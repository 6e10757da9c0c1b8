import type { Context, MiddlewareHandler } from 'hono';
import type { FixedWindowLimiter, Rate } from '../ratelimit/fixed-window-limiter.ts';
import { apiError } from '../routes/api-error.ts';

/**
 * Limits requests per client address with a live rate: over it, 429 `rate_limited` with
 * `Retry-After`; Redis not answering, 503 (fail closed: no request passes uncounted).
 *
 * @example
 * app.post('/api/auth/register', rateLimit({ limiter, rate: () => settings.get('ratelimit.auth'), clientAddress }), toIdentity);
 */
export function rateLimit(deps: {
  limiter: FixedWindowLimiter;
  rate: () => Rate;
  clientAddress: (c: Context) => string;
  /** Distinguishes counters of different limits on one address. */
  scope: string;
}): MiddlewareHandler {
  return async function rateLimitMiddleware(c, next) {
    let verdict;
    try {
      verdict = await deps.limiter.hit(`${deps.scope}:${deps.clientAddress(c)}`, deps.rate());
    } catch {
      return apiError(c, 'service_unavailable', 'rate limits cannot be checked right now, try again shortly');
    }
    if (!verdict.allowed) {
      c.header('Retry-After', String(verdict.retryAfterSeconds));
      return apiError(c, 'rate_limited', `too many requests, try again in ${verdict.retryAfterSeconds} s`, {
        retryAfterSeconds: verdict.retryAfterSeconds,
      });
    }
    await next();
  };
}
