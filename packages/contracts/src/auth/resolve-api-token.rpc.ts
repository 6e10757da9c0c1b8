import { z } from 'zod';
import { roleSchema } from '../events/identity.events.ts';
import { defineRpc } from '../rpc/rpc-definition.ts';
import { apiTokenScopeSchema } from './api-token-scopes.ts';

/**
 * Resolves the secret of an API token (a bearer value starting with `apiTokenPrefix`) to its
 * owner and scopes. Public, since the edge calls it before it knows who the caller is; answers
 * `not_found` for an unknown or revoked token.
 *
 * @example
 * const { userId, roles, scopes } = await callRpc(bus, resolveApiTokenRpc, { token }, { principal: null });
 */
export const resolveApiTokenRpc = defineRpc({
  service: 'identity',
  operation: 'resolve-api-token',
  access: 'public',
  description: 'The owner and scopes of an API token secret',
  input: z.object({ token: z.string().min(1).max(256) }),
  output: z.object({
    tokenId: z.uuid(),
    userId: z.uuid(),
    roles: z.array(roleSchema).min(1),
    scopes: z.array(apiTokenScopeSchema).min(1),
  }),
});
