/**
 * Where identity keeps sessions in Redis. Every key starts with a prefix
 * (`IDENTITY_REDIS_PREFIX`, default {@link defaultSessionKeyPrefix}) that identity and the
 * edge share; tests give each run its own.
 */
export const defaultSessionKeyPrefix = 'tonearm:identity:';

/**
 * The Redis keys of sessions, after the prefix. The edge checks a session with one
 * `EXISTS <prefix>session:<sid>`: the key is there exactly as long as the session lives
 * (deleted on logout, logout-all, password change and refresh-token reuse; expires with its TTL).
 *
 * @example
 * const alive = (await redis.exists(defaultSessionKeyPrefix + sessionKeys.session(claims.sid))) === 1;
 */
export const sessionKeys = {
  /** A hash of the session (`userId`, `roles`, `refreshHash`, `createdAt`); exists while the session lives. */
  session: (sessionId: string) => `session:${sessionId}`,
  /** A set of the ids of a user's sessions, for logout-all. */
  userSessions: (userId: string) => `user-sessions:${userId}`,
  /** The session a refresh token (by its sha256, hex) was issued to, spent or not. */
  refreshToken: (tokenSha256: string) => `refresh:${tokenSha256}`,
  /** Set when a refresh token (by its sha256, hex) is spent, to its session id; expires after the reuse grace. */
  refreshGrace: (tokenSha256: string) => `refresh-grace:${tokenSha256}`,
  /** A login attempt counter for one key (an account or a client address), with the window as TTL. */
  loginAttempts: (scope: 'account' | 'address', key: string) => `ratelimit:login:${scope}:${key}`,
} as const;
