import { sessionKeys } from '@tonearm/contracts';
import type { Redis } from 'ioredis';

/** Whether sessions are alive, from identity's keys in Redis. */
export interface SessionChecker {
  /** True while the session's key exists; rejects when Redis cannot answer. */
  isAlive(sessionId: string): Promise<boolean>;
  /** Forgets what is known of sessions that just ended (from `identity.session.ended.v1`). */
  forget(sessionIds: readonly string[]): void;
}

/**
 * Checks a session with one `EXISTS` on identity's session key, reusing an answer for at most
 * `cacheMs` (≤ 1 s) from when it was asked, so a logout is felt everywhere within a second even
 * with no event, and at once on the instance that hears the session-ended event. An answer past
 * half its life is asked again in the background while it still serves, so requests of a busy
 * session do not all wait on Redis once a second; an answer that was asked before the session
 * was forgotten never brings it back.
 *
 * @example
 * const sessions = sessionChecker({ redis, keyPrefix: 'tonearm:identity:', cacheMs: 1000 });
 * if (!(await sessions.isAlive(claims.sid))) return unauthorized();
 */
export function sessionChecker(options: { redis: Redis; keyPrefix: string; cacheMs: number }): SessionChecker {
  const known = new Map<string, { alive: boolean; until: number; refreshAt: number; forgottenAt?: number }>();
  const pending = new Map<string, Promise<boolean>>();
  const ask = (sessionId: string) => {
    let asking = pending.get(sessionId);
    if (asking) return asking;
    const askedAt = Date.now();
    asking = options.redis
      .exists(options.keyPrefix + sessionKeys.session(sessionId))
      .then((count) => {
        const forgottenAt = known.get(sessionId)?.forgottenAt;
        if (forgottenAt !== undefined && forgottenAt >= askedAt) return false;
        if (known.size >= 100_000) known.clear();
        const alive = count === 1;
        known.set(sessionId, { alive, until: askedAt + options.cacheMs, refreshAt: askedAt + options.cacheMs / 2 });
        return alive;
      })
      .finally(() => pending.delete(sessionId));
    pending.set(sessionId, asking);
    return asking;
  };
  return {
    async isAlive(sessionId) {
      const now = Date.now();
      const cached = known.get(sessionId);
      if (cached && cached.until > now) {
        if (cached.alive && cached.refreshAt <= now) ask(sessionId).catch(() => undefined);
        return cached.alive;
      }
      return ask(sessionId);
    },
    forget(sessionIds) {
      const now = Date.now();
      for (const id of sessionIds)
        known.set(id, { alive: false, until: now + options.cacheMs, refreshAt: Infinity, forgottenAt: now });
    },
  };
}
