import { Inject, Injectable } from '@nestjs/common';
import { sessionKeys } from '@tonearm/contracts';
import type { Redis } from 'ioredis';
import { REDIS } from '../identity.providers.ts';
import { redisCall } from './redis-client.ts';

/** The outcome of presenting a refresh token. */
export type RefreshOutcome =
  | { kind: 'rotated'; sessionId: string; userId: string }
  | { kind: 'unknown' }
  | { kind: 'reused'; sessionId: string; userId: string | undefined };

/**
 * Swaps the session's refresh hash when the presented one is current (ARGV[1]); when it is an
 * older one of the same session, the token was spent already: the session is deleted.
 * Answers `{status, userId}`: 1 rotated, 0 session gone, -1 reuse.
 */
const rotateScript = `
local userId = redis.call('HGET', KEYS[1], 'userId')
if not userId then return {0, ''} end
local current = redis.call('HGET', KEYS[1], 'refreshHash')
if current ~= ARGV[1] then
  redis.call('DEL', KEYS[1])
  return {-1, userId}
end
redis.call('HSET', KEYS[1], 'refreshHash', ARGV[2])
redis.call('EXPIRE', KEYS[1], ARGV[4])
redis.call('SET', KEYS[2], ARGV[3], 'EX', ARGV[4])
return {1, userId}
`;

/**
 * Sessions and refresh tokens in Redis, keyed as `sessionKeys` in contracts says (the edge
 * reads `session:<sid>`). Refresh tokens are kept only as sha256 hashes; every hash a session
 * was given points to it until the session's TTL, so a spent one is recognised.
 */
@Injectable()
export class SessionRepository {
  readonly #redis: Redis;

  constructor(@Inject(REDIS) redis: Redis) {
    this.#redis = redis;
  }

  async create(session: { sessionId: string; userId: string; refreshHash: string; ttlSeconds: number }) {
    const { sessionId, userId, refreshHash, ttlSeconds } = session;
    await redisCall(() =>
      this.#redis
        .multi()
        .hset(sessionKeys.session(sessionId), { userId, refreshHash, createdAt: new Date().toISOString() })
        .expire(sessionKeys.session(sessionId), ttlSeconds)
        .set(sessionKeys.refreshToken(refreshHash), sessionId, 'EX', ttlSeconds)
        .sadd(sessionKeys.userSessions(userId), sessionId)
        .expire(sessionKeys.userSessions(userId), ttlSeconds, 'GT')
        .expire(sessionKeys.userSessions(userId), ttlSeconds, 'NX')
        .exec(),
    );
  }

  async exists(sessionId: string): Promise<boolean> {
    return (await redisCall(() => this.#redis.exists(sessionKeys.session(sessionId)))) === 1;
  }

  /** Spends a refresh token (by hash) for a new one; see {@link RefreshOutcome}. */
  async rotate(refreshHash: string, nextHash: string, ttlSeconds: number): Promise<RefreshOutcome> {
    return redisCall(async () => {
      const sessionId = await this.#redis.get(sessionKeys.refreshToken(refreshHash));
      if (!sessionId) return { kind: 'unknown' };
      const [status, userId] = (await this.#redis.eval(
        rotateScript,
        2,
        sessionKeys.session(sessionId),
        sessionKeys.refreshToken(nextHash),
        refreshHash,
        nextHash,
        sessionId,
        String(ttlSeconds),
      )) as [number, string];
      if (status === 1) return { kind: 'rotated', sessionId, userId };
      if (status === -1) {
        await this.#redis.srem(sessionKeys.userSessions(userId), sessionId);
        return { kind: 'reused', sessionId, userId };
      }
      return { kind: 'unknown' };
    });
  }

  /** Ends one session of a user. */
  async delete(userId: string, sessionId: string): Promise<void> {
    await redisCall(() =>
      this.#redis.multi().del(sessionKeys.session(sessionId)).srem(sessionKeys.userSessions(userId), sessionId).exec(),
    );
  }

  /** Ends every session of a user but `keep`; answers the ids ended. */
  async deleteAll(userId: string, keep?: string): Promise<string[]> {
    return redisCall(async () => {
      const ids = (await this.#redis.smembers(sessionKeys.userSessions(userId))).filter((id) => id !== keep);
      if (ids.length === 0) return [];
      await this.#redis
        .multi()
        .del(...ids.map((id) => sessionKeys.session(id)))
        .srem(sessionKeys.userSessions(userId), ...ids)
        .exec();
      return ids;
    });
  }
}
