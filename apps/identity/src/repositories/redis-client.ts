import { Redis } from 'ioredis';

/** Raised when Redis cannot answer; the API turns it into 503 `service_unavailable`. */
export class StoreUnavailableError extends Error {
  constructor(cause: unknown) {
    super('the session store (Redis) cannot be reached', { cause });
    this.name = 'StoreUnavailableError';
  }
}

/**
 * A Redis client that fails fast while disconnected (no offline queue, one retry per command)
 * and keeps reconnecting in the background, so a Redis outage answers 503 at once and ends on
 * its own when Redis is back.
 *
 * @example
 * const redis = createRedisClient('redis://127.0.0.1:6379', 'tonearm:identity:');
 */
export function createRedisClient(url: string, keyPrefix: string): Redis {
  return new Redis(url, {
    keyPrefix,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    retryStrategy: (attempt) => Math.min(attempt * 100, 1_000),
  });
}

/**
 * Runs Redis work, turning any failure of the connection into {@link StoreUnavailableError}.
 *
 * @example
 * const exists = await redisCall(() => redis.exists('session:abc'));
 */
export async function redisCall<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw new StoreUnavailableError(error);
  }
}
