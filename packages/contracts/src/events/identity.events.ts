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
