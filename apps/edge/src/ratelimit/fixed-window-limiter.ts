import type { Redis } from 'ioredis';

/** A rate: at most `limit` hits per `windowSeconds`. */
export interface Rate {
  limit: number;
  windowSeconds: number;
}

/** The verdict on one hit: allowed, or refused with the seconds until its window ends. */
export type LimitVerdict = { allowed: true; remaining: number } | { allowed: false; retryAfterSeconds: number };

/** Counts hits per key in fixed windows kept in Redis, shared by every edge instance. */
export interface FixedWindowLimiter {
  /**
   * Counts one hit for `key` and says whether it is within `rate`.
   *
   * @throws when Redis does not answer (the caller must refuse the request, not let it through)
   */
  hit(key: string, rate: Rate): Promise<LimitVerdict>;
}

// One round trip, atomic: the first hit of a window starts its expiry, so a window never outlives its length.
const countHit = `
local hits = redis.call('INCR', KEYS[1])
if hits == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('TTL', KEYS[1])
if ttl < 0 then redis.call('EXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return { hits, ttl }`;

/**
 * A fixed-window rate limiter in Redis: key `<keyPrefix><key>` holds the hits of the current
 * window and expires with it.
 *
 * @example
 * const limiter = fixedWindowLimiter({ redis, keyPrefix: 'tonearm:edge:ratelimit:auth:' });
 * const verdict = await limiter.hit('203.0.113.7', { limit: 30, windowSeconds: 900 });
 */
export function fixedWindowLimiter(deps: { redis: Redis; keyPrefix: string }): FixedWindowLimiter {
  return {
    async hit(key, rate) {
      const [hits, ttl] = (await deps.redis.eval(countHit, 1, deps.keyPrefix + key, rate.windowSeconds)) as [
        number,
        number,
      ];
      if (hits <= rate.limit) return { allowed: true, remaining: rate.limit - hits };
      return { allowed: false, retryAfterSeconds: Math.max(1, ttl) };
    },
  };
}
