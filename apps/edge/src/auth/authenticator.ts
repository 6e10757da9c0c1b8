import {
  accessTokenClaimsSchema,
  accessTokenDefaults,
  apiTokenPrefix,
  resolveApiTokenRpc,
  type ApiTokenScope,
  type Principal,
} from '@tonearm/contracts';
import { callRpc, RpcError, type Bus } from '@tonearm/bus';
import { jwtVerify } from 'jose';
import type { SessionChecker } from './session-checker.ts';
import type { SigningKeys } from './signing-keys.ts';

/** A caller the edge established: who, and for an API token what it may do (undefined: a user's session may do all). */
export interface Caller {
  principal: Principal;
  scopes: readonly ApiTokenScope[] | undefined;
}

/** Why a bearer value was refused: `unauthorized` (bad or ended) or `service_unavailable` (cannot check now). */
export class AuthenticationError extends Error {
  readonly code: 'unauthorized' | 'service_unavailable';

  constructor(code: 'unauthorized' | 'service_unavailable', message: string) {
    super(message);
    this.name = 'AuthenticationError';
    this.code = code;
  }
}

/** The session id of a principal that holds an API token instead of a session. */
export const apiTokenSessionId = (tokenId: string) => `api-token:${tokenId}`;

/** Turns a bearer value into a caller. */
export interface Authenticator {
  authenticate(bearer: string): Promise<Caller>;
  /** Forgets resolved API tokens (from `identity.api-token.changed.v1` with `revoked`). */
  forgetApiToken(tokenId: string): void;
}

const maxCachedTokens = 50_000;

/**
 * Verifies access tokens locally (EdDSA only, `iss`, `aud`, `exp`, claims shape) and then their
 * session in Redis; resolves API tokens (`tnat_…`) through identity's `resolve-api-token`
 * operation, reusing an answer for at most `apiTokenCacheMs` and never after its revocation
 * event. A verified access token is reused until it expires, but its session is checked on
 * every call.
 *
 * @example
 * const { principal } = await authenticator.authenticate(bearer);
 */
export function authenticator(options: {
  bus: Bus;
  keys: SigningKeys;
  sessions: SessionChecker;
  issuer: string;
  audience: string;
  apiTokenCacheMs: number;
  rpcTimeoutMs: number;
}): Authenticator {
  const verified = new Map<string, { caller: Caller; expiresAt: number }>();
  const apiTokens = new Map<string, { caller: Caller; until: number; tokenId: string }>();

  const remember = <V>(map: Map<string, V>, key: string, value: V) => {
    if (map.size >= maxCachedTokens) map.delete(map.keys().next().value as string);
    map.set(key, value);
  };

  const verifyAccessToken = async (token: string): Promise<Caller> => {
    const cached = verified.get(token);
    if (cached && cached.expiresAt > Date.now()) return cached.caller;
    let payload;
    try {
      ({ payload } = await jwtVerify(token, options.keys.getKey, {
        issuer: options.issuer,
        audience: options.audience,
        algorithms: [accessTokenDefaults.algorithm],
        requiredClaims: ['exp', 'iat', 'sub'],
      }));
    } catch {
      throw new AuthenticationError('unauthorized', 'the access token is not valid');
    }
    const claims = accessTokenClaimsSchema.safeParse(payload);
    if (!claims.success) throw new AuthenticationError('unauthorized', 'the access token is not valid');
    const caller: Caller = {
      principal: { userId: claims.data.sub, roles: claims.data.roles, sessionId: claims.data.sid },
      scopes: undefined,
    };
    remember(verified, token, { caller, expiresAt: claims.data.exp * 1000 });
    return caller;
  };

  const resolveApiToken = async (token: string): Promise<Caller> => {
    const cached = apiTokens.get(token);
    if (cached && cached.until > Date.now()) return cached.caller;
    try {
      const resolved = await callRpc(options.bus, resolveApiTokenRpc, { token }, { timeoutMs: options.rpcTimeoutMs });
      const caller: Caller = {
        principal: { userId: resolved.userId, roles: resolved.roles, sessionId: apiTokenSessionId(resolved.tokenId) },
        scopes: resolved.scopes,
      };
      if (options.apiTokenCacheMs > 0) {
        remember(apiTokens, token, { caller, until: Date.now() + options.apiTokenCacheMs, tokenId: resolved.tokenId });
      }
      return caller;
    } catch (error) {
      if (error instanceof RpcError && error.code === 'service_unavailable') {
        throw new AuthenticationError('service_unavailable', 'API tokens cannot be checked right now');
      }
      if (error instanceof RpcError && (error.code === 'not_found' || error.code === 'invalid_request')) {
        throw new AuthenticationError('unauthorized', 'the API token is not valid');
      }
      throw error;
    }
  };

  return {
    async authenticate(bearer) {
      if (bearer.startsWith(apiTokenPrefix)) return resolveApiToken(bearer);
      const caller = await verifyAccessToken(bearer);
      let alive: boolean;
      try {
        alive = await options.sessions.isAlive(caller.principal.sessionId);
      } catch {
        throw new AuthenticationError('service_unavailable', 'sessions cannot be checked right now');
      }
      if (!alive) throw new AuthenticationError('unauthorized', 'the session has ended');
      return caller;
    },
    forgetApiToken(tokenId) {
      for (const [token, entry] of apiTokens) if (entry.tokenId === tokenId) apiTokens.delete(token);
    },
  };
}
