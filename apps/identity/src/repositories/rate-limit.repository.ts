import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { REDIS } from '../identity.providers.ts';
import { redisCall } from './redis-client.ts';

/** Fixed-window counters in Redis. */
@Injectable()
export class RateLimitRepository {
  readonly #redis: Redis;

  constructor(@Inject(REDIS) redis: Redis) {
    this.#redis = redis;
  }

  /**
   * Counts one hit on each key at once; a key's window starts with its first hit. Answers, per
   * key, the count including this hit and the milliseconds left in its window.
   */
  async hit(keys: { key: string; windowSeconds: number }[]): Promise<{ count: number; resetInMs: number }[]> {
    const multi = this.#redis.multi();
    for (const { key, windowSeconds } of keys) multi.incr(key).expire(key, windowSeconds, 'NX').pttl(key);
    const replies = await redisCall(async () => {
      const result = await multi.exec();
      if (!result) throw new Error('the transaction was aborted');
      return result;
    });
    return keys.map((_, index) => {
      const [countError, count] = replies[index * 3]!;
      const [ttlError, ttl] = replies[index * 3 + 2]!;
      if (countError || ttlError) throw countError ?? ttlError;
      return { count: Number(count), resetInMs: Math.max(Number(ttl), 0) };
    });
  }

  /** Forgets a counter. */
  async reset(key: string): Promise<void> {
    await redisCall(() => this.#redis.del(key));
  }
}
