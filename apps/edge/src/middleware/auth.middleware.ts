import type { ApiTokenScope } from '@tonearm/contracts';
import type { MiddlewareHandler } from 'hono';
import { AuthenticationError, type Authenticator, type Caller } from '../auth/authenticator.ts';
import { apiError } from '../routes/api-error.ts';

/** What the auth middleware leaves on the context. */
export type AuthVariables = { caller: Caller | undefined };

/** The bearer value of an `Authorization` header, or undefined. */
export function bearerOf(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}

/**
 * Establishes the caller from the bearer token. `required` routes answer 401 without one; a
 * token that is there must be valid everywhere (401), `scope` is checked for API tokens (403),
 * `admin` needs the admin role (403). Checks that cannot run now answer 503.
 *
 * @example
 * app.get('/api/me', auth(authenticator, { required: true }), handler);
 */
export function auth(
  authenticator: Authenticator,
  options: { required: boolean; scope?: ApiTokenScope; admin?: boolean },
): MiddlewareHandler<{ Variables: AuthVariables }> {
  return async function authMiddleware(c, next) {
    const header = c.req.header('authorization');
    const bearer = bearerOf(header);
    if (header !== undefined && !bearer)
      return apiError(c, 'unauthorized', 'the Authorization header must be "Bearer <token>"');
    if (!bearer) {
      if (options.required) return apiError(c, 'unauthorized', 'sign in first: this needs a bearer token');
      c.set('caller', undefined);
      return next();
    }
    let caller: Caller;
    try {
      caller = await authenticator.authenticate(bearer);
    } catch (error) {
      if (error instanceof AuthenticationError) return apiError(c, error.code, error.message);
      throw error;
    }
    if (options.scope && caller.scopes && !caller.scopes.includes(options.scope)) {
      return apiError(c, 'forbidden', `this API token lacks the "${options.scope}" scope`);
    }
    if (options.admin && !caller.principal.roles.includes('admin')) {
      return apiError(c, 'forbidden', 'this needs the admin role');
    }
    c.set('caller', caller);
    return next();
  };
}
