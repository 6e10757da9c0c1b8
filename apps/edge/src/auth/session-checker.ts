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
 * `cacheMs` (≤ 1 s), so a logout is felt everywhere within a second even with no event, and at
 * once on the instance that hears the session-ended event.
 *
 * @example
 * const sessions = sessionChecker({ redis, keyPrefix: 'tonearm:identity:', cacheMs: 1000 });
 * if (!(await sessions.isAlive(claims.sid))) return unauthorized();
 */
export function sessionChecker(options: { redis: Redis; keyPrefix: string; cacheMs: number }): SessionChecker {
  const known = new Map<string, { alive: boolean; until: number }>();
  const pending = new Map<string, Promise<boolean>>();
  return {
    async isAlive(sessionId) {
      const now = Date.now();
      const cached = known.get(sessionId);
      if (cached && cached.until > now) return cached.alive;
      let asking = pending.get(sessionId);
      if (!asking) {
        asking = options.redis
          .exists(options.keyPrefix + sessionKeys.session(sessionId))
          .then((count) => {
            if (known.size >= 100_000) known.clear();
            known.set(sessionId, { alive: count === 1, until: Date.now() + options.cacheMs });
            return count === 1;
          })
          .finally(() => pending.delete(sessionId));
        pending.set(sessionId, asking);
      }
      return asking;
    },
    forget(sessionIds) {
      for (const id of sessionIds) known.set(id, { alive: false, until: Date.now() + options.cacheMs });
    },
  };
}
