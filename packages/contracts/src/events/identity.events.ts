import { z } from 'zod';
import { eventSchema } from '../envelope/event-envelope.ts';

/** Roles a user can hold. */
export const roleSchema = z.enum(['user', 'admin']);

/** A new account exists. Never carries a password, hash or token. */
export const userRegisteredV1 = eventSchema(
  'identity.user.registered.v1',
  1,
  z.object({
    userId: z.string().uuid(),
    displayName: z.string().min(1).max(100),
    roles: z.array(roleSchema).min(1),
  }),
);

/** The set of public keys that verify access tokens changed (a key was added or retired). */
export const signingKeysRotatedV1 = eventSchema(
  'identity.signing-keys.rotated.v1',
  1,
  z.object({
    jwks: z.object({ keys: z.array(z.record(z.string(), z.unknown())) }),
  }),
);

/** Why sessions ended. */
export const sessionEndReasonSchema = z.enum(['logout', 'logout-all', 'password-changed', 'refresh-token-reused']);

/**
 * Sessions of a user ended before their time: their access tokens stop working at the edge at
 * once. Carries session ids only, never a token.
 */
export const sessionEndedV1 = eventSchema(
  'identity.session.ended.v1',
  1,
  z.object({
    userId: z.string().uuid(),
    sessionIds: z.array(z.string().min(1)),
    reason: sessionEndReasonSchema,
  }),
);

/** A user changed their password; every other session of theirs ended. Never carries a password or hash. */
export const passwordChangedV1 = eventSchema(
  'identity.user.password-changed.v1',
  1,
  z.object({ userId: z.string().uuid() }),
);

/** An API token was created (`revoked: false`) or revoked. Never carries the secret. */
export const apiTokenChangedV1 = eventSchema(
  'identity.api-token.changed.v1',
  1,
  z.object({
    userId: z.string().uuid(),
    tokenId: z.string().uuid(),
    scopes: z.array(z.string()),
    revoked: z.boolean(),
  }),
);
