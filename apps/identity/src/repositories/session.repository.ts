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
 * How many refresh tokens of one session may be valid besides the newest one. Only a reuse within
 * the grace adds one (each answer the client may never have received stays valid), so a client
 * that keeps presenting one spent token is stopped here: past the cap, the reuse ends the session.
 */
export const maxOutstandingRefreshTokens = 10;

/**
 * Spends a refresh token of a session, atomically. KEYS: the session hash, the next token's
 * `refresh:` key, the presented token's `refresh-grace:` key. ARGV: presented hash, next hash,
 * session id, session TTL (s), grace (ms), {@link maxOutstandingRefreshTokens}.
 *
 * The session hash holds the newest token as `refreshHash` and every other still valid one as a
 * `live:<hash>` field (counted in `liveOthers`). A valid token is spent: its successor becomes
 * `refreshHash`, the previous `refreshHash` (when it is not the token spent) stays valid as a
 * `live:` field, and the spent token gets a grace key that expires with the grace. A spent token
 * whose grace key is still there gets a successor the same way (status 2) without resetting its
 * grace. Any other token of the session is a reuse: the session is deleted.
 * Answers `{status, userId}`: 1 rotated, 2 rotated within the grace, 0 session gone, -1 reuse.
 */
const rotateScript = `
local userId = redis.call('HGET', KEYS[1], 'userId')
if not userId then return {0, ''} end
local newest = redis.call('HGET', KEYS[1], 'refreshHash')
local status = -1
if newest == ARGV[1] then
  status = 1
elseif redis.call('HDEL', KEYS[1], 'live:' .. ARGV[1]) == 1 then
  redis.call('HINCRBY', KEYS[1], 'liveOthers', -1)
  status = 1
elseif redis.call('GET', KEYS[3]) == ARGV[3] then
  status = 2
end
if status == 1 or status == 2 then
  if newest and newest ~= ARGV[1] then
    if tonumber(redis.call('HGET', KEYS[1], 'liveOthers') or '0') >= tonumber(ARGV[6]) then
      status = -1
    else
      redis.call('HSET', KEYS[1], 'live:' .. newest, '1')
      redis.call('HINCRBY', KEYS[1], 'liveOthers', 1)
    end
  end
end
if status == -1 then
  redis.call('DEL', KEYS[1])
  return {-1, userId}
end
redis.call('HSET', KEYS[1], 'refreshHash', ARGV[2])
redis.call('EXPIRE', KEYS[1], ARGV[4])
redis.call('SET', KEYS[2], ARGV[3], 'EX', ARGV[4])
if status == 1 and tonumber(ARGV[5]) > 0 then
  redis.call('SET', KEYS[3], ARGV[3], 'PX', ARGV[5])
end
return {status, userId}
`;

/**
 * Sessions and refresh tokens in Redis, keyed as `sessionKeys` in contracts says (the edge
 * reads `session:<sid>`). Refresh tokens are kept only as sha256 hashes; every hash a session
 * was given points to it until the session's TTL, so a spent one is recognised; a spent one
 * presented again within the reuse grace is answered instead (see `rotateScript`).
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

  /**
   * Spends a refresh token (by hash) for a new one; see {@link RefreshOutcome}. A token spent
   * less than `graceSeconds` ago is answered with a new one too (0 turns the grace off).
   */
  async rotate(
    refreshHash: string,
    nextHash: string,
    { ttlSeconds, graceSeconds }: { ttlSeconds: number; graceSeconds: number },
  ): Promise<RefreshOutcome> {
    return redisCall(async () => {
      const sessionId = await this.#redis.get(sessionKeys.refreshToken(refreshHash));
      if (!sessionId) return { kind: 'unknown' };
      const [status, userId] = (await this.#redis.eval(
        rotateScript,
        3,
        sessionKeys.session(sessionId),
        sessionKeys.refreshToken(nextHash),
        sessionKeys.refreshGrace(refreshHash),
        refreshHash,
        nextHash,
        sessionId,
        String(ttlSeconds),
        String(Math.round(graceSeconds * 1000)),
        String(maxOutstandingRefreshTokens),
      )) as [number, string];
      if (status === 1 || status === 2) return { kind: 'rotated', sessionId, userId };
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
