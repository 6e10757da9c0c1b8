/** Injection token of identity's validated environment (`IdentityEnv`). */
export const CONFIG = Symbol('IdentityConfig');
/** Injection token of the drizzle database (`IdentityDatabase`). */
export const DATABASE = Symbol('IdentityDatabase');
/** Injection token of the ioredis client, with the session key prefix applied. */
export const REDIS = Symbol('Redis');
/** Injection token of the password hasher (`PasswordHasher`). */
export const PASSWORD_HASHER = Symbol('PasswordHasher');
