import { jwksSchema, type Jwks } from '@tonearm/contracts';
import type { Logger } from '@tonearm/runtime';
import { createLocalJWKSet, errors, type JWTVerifyGetKey } from 'jose';

/** The public keys that verify access tokens, as identity publishes them. */
export interface SigningKeys {
  /** For `jwtVerify`: the key of a token's `kid`, fetching the set again once when the `kid` is unknown. */
  getKey: JWTVerifyGetKey;
  /** Replaces the set, e.g. from `identity.signing-keys.rotated.v1`. */
  update(jwks: Jwks): void;
  /** Fetches the set now; keeps the last one when identity does not answer. */
  refresh(): Promise<boolean>;
}

/**
 * Keeps identity's JWKS in memory. An unknown `kid` fetches the set again, at most once per
 * `cooldownMs`, so forged `kid`s cannot make the edge hammer identity; while identity is down
 * the last set keeps verifying tokens.
 *
 * @example
 * const keys = signingKeys({ fetchJwks: () => fetch(url).then((r) => r.json()), logger });
 * await jwtVerify(token, keys.getKey, { algorithms: ['EdDSA'] });
 */
export function signingKeys(options: {
  fetchJwks: () => Promise<unknown>;
  logger: Logger;
  cooldownMs?: number;
}): SigningKeys {
  const cooldownMs = options.cooldownMs ?? 1_000;
  let local: ReturnType<typeof createLocalJWKSet> | undefined;
  let lastFetch = 0;
  let inFlight: Promise<boolean> | undefined;

  const update = (jwks: Jwks) => {
    local = createLocalJWKSet(jwksSchema.parse(jwks) as Parameters<typeof createLocalJWKSet>[0]);
  };
  const refresh = () => {
    inFlight ??= (async () => {
      lastFetch = Date.now();
      try {
        update(jwksSchema.parse(await options.fetchJwks()));
        return true;
      } catch (error) {
        options.logger.warn({ err: error }, 'could not fetch the signing keys; keeping the last ones');
        return false;
      } finally {
        inFlight = undefined;
      }
    })();
    return inFlight;
  };
  const getKey: JWTVerifyGetKey = async (header, token) => {
    if (local) {
      try {
        return await local(header, token);
      } catch (error) {
        if (!(error instanceof errors.JWKSNoMatchingKey)) throw error;
      }
    }
    if (Date.now() - lastFetch < cooldownMs && !inFlight) throw new errors.JWKSNoMatchingKey();
    await refresh();
    if (!local) throw new errors.JWKSNoMatchingKey();
    return local(header, token);
  };
  return { getKey, update, refresh };
}
