import { z } from 'zod';
import { roleSchema } from '../events/identity.events.ts';

/**
 * Who issues access tokens and who they are for, unless configured otherwise
 * (`IDENTITY_TOKEN_ISSUER`, `IDENTITY_TOKEN_AUDIENCE` on identity and the edge alike).
 */
export const accessTokenDefaults = {
  issuer: 'tonearm-identity',
  audience: 'tonearm',
  /** The JWS algorithm of every access token: Ed25519 signatures. Verifiers accept no other. */
  algorithm: 'EdDSA',
  /** The longest an access token lives, in seconds. */
  maxTtlSeconds: 900,
} as const;

/**
 * The claims of an access token, after its signature, `iss`, `aud` and `exp` were checked.
 * `sid` names the session in Redis (`sessionKeys.session(sid)`): a token whose session is gone
 * is refused even before it expires.
 *
 * @example
 * const { payload } = await jwtVerify(token, jwks, { issuer, audience, algorithms: [accessTokenDefaults.algorithm] });
 * const claims = accessTokenClaimsSchema.parse(payload);
 */
export const accessTokenClaimsSchema = z.object({
  iss: z.string().min(1),
  aud: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
  sub: z.uuid(),
  sid: z.string().min(1).max(128),
  roles: z.array(roleSchema).min(1),
  iat: z.number().int(),
  exp: z.number().int(),
});

/** The claims of a verified access token. */
export type AccessTokenClaims = z.infer<typeof accessTokenClaimsSchema>;

/** A JSON Web Key Set as served at `/.well-known/jwks.json` and carried by `identity.signing-keys.rotated.v1`. */
export const jwksSchema = z.object({ keys: z.array(z.record(z.string(), z.unknown())) });

/** A JSON Web Key Set. */
export type Jwks = z.infer<typeof jwksSchema>;
