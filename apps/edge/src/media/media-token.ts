import { jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';

/** Who a playback URL token was issued to and for which track. */
export interface MediaGrant {
  userId: string;
  sessionId: string;
  trackId: string;
  /** Unix seconds. */
  expiresAt: number;
}

const audience = 'tonearm-media';
const claimsSchema = z.object({ sub: z.string(), sid: z.string(), trk: z.string(), exp: z.number().int() });

/** Signs and checks playback URL tokens. */
export interface MediaTokens {
  issue(grant: Omit<MediaGrant, 'expiresAt'>): Promise<{ token: string; expiresAt: number }>;
  /** The grant of a token, or undefined when it is forged, expired or not a media token. */
  verify(token: string): Promise<MediaGrant | undefined>;
}

/**
 * Playback URL tokens: HS256 JWTs under the edge's own secret (never identity's keys), bound to
 * a session and a track, living `ttlSeconds`. The session is still checked on every request,
 * so a logout ends them before they expire. Verified tokens are remembered until they expire,
 * since a player sends the same one with every segment.
 *
 * @example
 * const tokens = mediaTokens({ secret, ttlSeconds: 3600 });
 * const { token } = await tokens.issue({ userId, sessionId, trackId });
 */
export function mediaTokens(options: { secret: string; ttlSeconds: number }): MediaTokens {
  const key = new TextEncoder().encode(options.secret);
  const verified = new Map<string, MediaGrant>();
  return {
    async issue(grant) {
      const expiresAt = Math.floor(Date.now() / 1000) + options.ttlSeconds;
      const token = await new SignJWT({ sid: grant.sessionId, trk: grant.trackId })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(grant.userId)
        .setAudience(audience)
        .setIssuedAt()
        .setExpirationTime(expiresAt)
        .sign(key);
      return { token, expiresAt };
    },
    async verify(token) {
      const cached = verified.get(token);
      if (cached) {
        if (cached.expiresAt * 1000 > Date.now()) return cached;
        verified.delete(token);
        return undefined;
      }
      try {
        const { payload } = await jwtVerify(token, key, { audience, algorithms: ['HS256'] });
        const claims = claimsSchema.parse(payload);
        const grant = { userId: claims.sub, sessionId: claims.sid, trackId: claims.trk, expiresAt: claims.exp };
        if (verified.size >= 50_000) verified.delete(verified.keys().next().value as string);
        verified.set(token, grant);
        return grant;
      } catch {
        return undefined;
      }
    },
  };
}
