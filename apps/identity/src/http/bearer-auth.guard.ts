import {
  createParamDecorator,
  Inject,
  Injectable,
  SetMetadata,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { apiTokenPrefix, type ApiTokenScope, type Principal } from '@tonearm/contracts';
import { AccessTokenService } from '../services/access-token.service.ts';
import { ApiTokenService } from '../services/api-token.service.ts';
import { SessionService } from '../services/session.service.ts';
import { ApiException } from './api-exception.ts';

/** Who made an authenticated request: a session (access token) or an API token with its scopes. */
export type RequestPrincipal = Principal &
  ({ kind: 'session' } | { kind: 'api-token'; tokenId: string; scopes: ApiTokenScope[] });

/** The parts of an HTTP request identity reads. */
export interface IdentityRequest {
  headers: Record<string, string | string[] | undefined>;
  socket: { remoteAddress?: string };
  principal?: RequestPrincipal;
}

const allowApiTokensKey = 'identity:allow-api-tokens';

/** Lets a route guarded by {@link BearerAuthGuard} accept API tokens as well as access tokens. */
export const AllowApiTokens = () => SetMetadata(allowApiTokensKey, true);

/** The principal {@link BearerAuthGuard} established for the request. */
export const CurrentPrincipal = createParamDecorator(
  (_: unknown, context: ExecutionContext) => context.switchToHttp().getRequest<IdentityRequest>().principal,
);

/**
 * Requires `Authorization: Bearer <token>`: an access token whose session still lives, or, on
 * routes marked {@link AllowApiTokens}, an API token.
 */
@Injectable()
export class BearerAuthGuard implements CanActivate {
  readonly #reflector: Reflector;
  readonly #accessTokens: AccessTokenService;
  readonly #sessions: SessionService;
  readonly #apiTokens: ApiTokenService;

  constructor(
    @Inject(Reflector) reflector: Reflector,
    @Inject(AccessTokenService) accessTokens: AccessTokenService,
    @Inject(SessionService) sessions: SessionService,
    @Inject(ApiTokenService) apiTokens: ApiTokenService,
  ) {
    this.#reflector = reflector;
    this.#accessTokens = accessTokens;
    this.#sessions = sessions;
    this.#apiTokens = apiTokens;
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<IdentityRequest>();
    const header = request.headers.authorization;
    const token = typeof header === 'string' ? /^Bearer ([^\s]+)$/i.exec(header.trim())?.[1] : undefined;
    if (!token) throw new ApiException('unauthorized', 'sign in first: send Authorization: Bearer <token>');

    if (token.startsWith(apiTokenPrefix)) {
      const allowed = this.#reflector.getAllAndOverride<boolean>(allowApiTokensKey, [
        context.getHandler(),
        context.getClass(),
      ]);
      if (!allowed) throw new ApiException('forbidden', 'an API token cannot do this; sign in with a password');
      const resolved = await this.#apiTokens.resolve(token);
      if (!resolved) throw new ApiException('unauthorized', 'the API token is invalid or revoked');
      request.principal = {
        kind: 'api-token',
        userId: resolved.userId,
        roles: resolved.roles,
        sessionId: `api-token:${resolved.tokenId}`,
        tokenId: resolved.tokenId,
        scopes: resolved.scopes,
      };
      return true;
    }

    const claims = await this.#accessTokens.verify(token);
    if (!(await this.#sessions.isAlive(claims.sid))) throw new ApiException('unauthorized', 'the session has ended');
    request.principal = { kind: 'session', userId: claims.sub, roles: claims.roles, sessionId: claims.sid };
    return true;
  }
}
