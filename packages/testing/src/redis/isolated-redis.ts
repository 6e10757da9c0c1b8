import { Redis } from 'ioredis';
import { isolatedName } from '../isolated-names.ts';
import { serviceUrls } from '../service-urls.ts';

/** One test's key space on the test Redis. */
export interface IsolatedRedis extends AsyncDisposable {
  url: string;
  /** Unique to this call and ending in `:`; every key of the test should start with it. */
  keyPrefix: string;
  /** A client that adds the prefix to every key it sends (ioredis `keyPrefix`). */
  client: Redis;
  /** Deletes every key under the prefix and disconnects the client. */
  cleanup(): Promise<void>;
}

/**
 * Deletes every key that starts with `prefix` (SCAN + UNLINK, never KEYS) and answers how
 * many were deleted. The client must not have a `keyPrefix` of its own.
 *
 * @example
 * await deleteKeysWithPrefix(new Redis(url), 'sessions:');
 */
export async function deleteKeysWithPrefix(client: Redis, prefix: string): Promise<number> {
  const pattern = `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`;
  let deleted = 0;
  for await (const keys of client.scanStream({ match: pattern, count: 500 }) as AsyncIterable<string[]>) {
    if (keys.length > 0) deleted += await client.unlink(...keys);
  }
  return deleted;
}

/**
 * A key prefix of its own on `REDIS_URL` for a test, with a client that applies it and a
 * cleanup that removes what the test left.
 *
 * @example
 * const redis = await createIsolatedRedis();
 * afterAll(() => redis.cleanup());
 * const sessions = new SessionStore(new Redis(redis.url, { keyPrefix: redis.keyPrefix }));
 */
export async function createIsolatedRedis(options: { label?: string; url?: string } = {}): Promise<IsolatedRedis> {
  const url = options.url ?? serviceUrls().redisUrl;
  const keyPrefix = `${isolatedName(options.label ?? 'test')}:`;
  const client = new Redis(url, { keyPrefix, lazyConnect: true });
  await client.connect();
  let cleaned: Promise<void> | undefined;
  const cleanup = () => {
    cleaned ??= (async () => {
      const admin = new Redis(url, { lazyConnect: true });
      try {
        await admin.connect();
        await deleteKeysWithPrefix(admin, keyPrefix);
      } finally {
        admin.disconnect();
        client.disconnect();
      }
    })();
    return cleaned;
  };
  return { url, keyPrefix, client, cleanup, [Symbol.asyncDispose]: cleanup };
}
