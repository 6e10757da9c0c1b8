/** Renew this long before the access token expires, or at a fifth of its life when it is shorter. */
const refreshLeadMs = 60_000;
/** Never schedule sooner than this, so a clock skew cannot make a refresh loop. */
const minimumDelayMs = 5_000;

/**
 * Milliseconds to wait before renewing an access token that lives `expiresInSeconds`: a minute
 * ahead of expiry (a fifth of its life for short tokens), never less than five seconds.
 * @example
 * refreshDelayMs(900) // 840_000
 */
export function refreshDelayMs(expiresInSeconds: number): number {
  const lifeMs = Math.max(0, expiresInSeconds * 1000);
  const lead = Math.min(refreshLeadMs, lifeMs / 5);
  return Math.max(minimumDelayMs, Math.floor(lifeMs - lead));
}

/**
 * The moment (epoch ms) an access token issued at `issuedAtMs` should be renewed.
 * @example
 * refreshAt(900, Date.now())
 */
export function refreshAt(expiresInSeconds: number, issuedAtMs: number): number {
  return issuedAtMs + refreshDelayMs(expiresInSeconds);
}
