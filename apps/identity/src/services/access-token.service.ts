import { Inject, Injectable } from '@nestjs/common';
import { accessTokenClaimsSchema, accessTokenDefaults, type AccessTokenClaims } from '@tonearm/contracts';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, SignJWT } from 'jose';
import type { IdentityEnv } from '../config/identity-env.ts';
import { ApiException } from '../http/api-exception.ts';
import { CONFIG } from '../identity.providers.ts';
import { SigningKeyService } from './signing-key.service.ts';

/**
 * Issues and verifies access tokens: EdDSA JWTs with `iss`, `aud`, `sub`, `sid`, `roles`,
 * `iat`, `exp` and the signing key's `kid` in the header.
 */
@Injectable()
export class AccessTokenService {
  readonly #keys: SigningKeyService;
  readonly #config: IdentityEnv;

  constructor(@Inject(SigningKeyService) keys: SigningKeyService, @Inject(CONFIG) config: IdentityEnv) {
    this.#keys = keys;
    this.#config = config;
  }

  /** The lifetime of a new token, in seconds. */
  get ttlSeconds(): number {
    return this.#config.IDENTITY_ACCESS_TOKEN_TTL_SECONDS;
  }

  /**
   * Signs a token for a session.
   *
   * @example
   * const token = await accessTokens.issue({ userId, sessionId, roles: ['user'] });
   */
  async issue(subject: { userId: string; sessionId: string; roles: AccessTokenClaims['roles'] }): Promise<string> {
    const key = await this.#keys.activeKey();
    return new SignJWT({ sid: subject.sessionId, roles: subject.roles })
      .setProtectedHeader({ alg: accessTokenDefaults.algorithm, kid: key.kid, typ: 'JWT' })
      .setIssuer(this.#config.IDENTITY_TOKEN_ISSUER)
      .setAudience(this.#config.IDENTITY_TOKEN_AUDIENCE)
      .setSubject(subject.userId)
      .setIssuedAt()
      .setExpirationTime(`${this.ttlSeconds}s`)
      .sign(key.privateKey);
  }

  /**
   * Checks a token's signature (EdDSA only, by a published key), issuer, audience and expiry
   * and answers its claims; refuses anything else with 401. Whether the session still lives is
   * the caller's check.
   */
  async verify(token: string): Promise<AccessTokenClaims> {
    let kid: string | undefined;
    try {
      kid = decodeProtectedHeader(token).kid;
    } catch {
      throw new ApiException('unauthorized', 'the access token is invalid or expired');
    }
    let jwks = await this.#keys.jwks();
    if (kid && !jwks.keys.some((key) => key.kid === kid)) jwks = await this.#keys.jwks({ fresh: true });
    try {
      const { payload } = await jwtVerify(token, createLocalJWKSet(jwks as Parameters<typeof createLocalJWKSet>[0]), {
        issuer: this.#config.IDENTITY_TOKEN_ISSUER,
        audience: this.#config.IDENTITY_TOKEN_AUDIENCE,
        algorithms: [accessTokenDefaults.algorithm],
        requiredClaims: ['sub', 'sid', 'exp', 'iat'],
      });
      return accessTokenClaimsSchema.parse(payload);
    } catch {
      throw new ApiException('unauthorized', 'the access token is invalid or expired');
    }
  }
}
