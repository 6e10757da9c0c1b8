import { z } from 'zod';
import { apiTokenScopeSchema } from '../auth/api-token-scopes.ts';
import { roleSchema } from '../events/identity.events.ts';
import { textField } from './text-fields.ts';

/** The shortest and longest password accepted (characters). */
export const passwordLength = { min: 8, max: 256 } as const;

const emailSchema = textField()
  .trim()
  .max(254)
  .pipe(z.email())
  .transform((email) => email.toLowerCase());

/** `POST /api/auth/register`. The email is trimmed and compared in lower case. */
export const registerRequestSchema = z.object({
  email: emailSchema,
  password: z.string().min(passwordLength.min).max(passwordLength.max),
  displayName: textField().trim().min(1).max(100),
});

/** `POST /api/auth/login`. Any string is a possible email here: a malformed one fails like a wrong password. */
export const loginRequestSchema = z.object({
  email: textField()
    .trim()
    .min(1)
    .max(254)
    .transform((email) => email.toLowerCase()),
  password: z.string().min(1).max(passwordLength.max),
});

/** `POST /api/auth/refresh`. */
export const refreshRequestSchema = z.object({ refreshToken: z.string().min(1).max(256) });

/** `POST /api/auth/password`: ends every other session of the user. */
export const changePasswordRequestSchema = z.object({
  currentPassword: z.string().min(1).max(passwordLength.max),
  newPassword: z.string().min(passwordLength.min).max(passwordLength.max),
});

/** A user as the API shows it (`{user}` of register and login, `GET /api/me`). */
export const userSchema = z.object({
  id: z.uuid(),
  email: z.string(),
  displayName: z.string(),
  roles: z.array(roleSchema).min(1),
});

/** A user as the API shows it. */
export type User = z.infer<typeof userSchema>;

/** The answer of `POST /api/auth/register` (201). */
export const registerResponseSchema = z.object({ user: userSchema });

/** An access token (JWT) with its lifetime in seconds and the refresh token that renews it. */
export const tokenPairSchema = z.object({
  accessToken: z.string(),
  refreshToken: z.string(),
  expiresIn: z.number().int().positive(),
});

/** The answer of `POST /api/auth/login`. */
export const loginResponseSchema = tokenPairSchema.extend({ user: userSchema });

/** The answer of `POST /api/auth/refresh`: a new pair; the refresh token sent is spent. */
export const refreshResponseSchema = tokenPairSchema;

/** `POST /api/tokens`: an API token for the CLI. */
export const createApiTokenRequestSchema = z.object({
  name: textField().trim().min(1).max(100),
  scopes: z
    .array(apiTokenScopeSchema)
    .min(1)
    .refine((scopes) => new Set(scopes).size === scopes.length, { message: 'scopes must not repeat' }),
});

/** An API token as listed: never its secret. */
export const apiTokenSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  scopes: z.array(apiTokenScopeSchema),
  createdAt: z.iso.datetime(),
  lastUsedAt: z.iso.datetime().nullable(),
});

/** An API token as listed. */
export type ApiToken = z.infer<typeof apiTokenSchema>;

/** The answer of `POST /api/tokens` (201): the secret, shown this once. */
export const createApiTokenResponseSchema = apiTokenSchema.extend({ token: z.string() });

/** The answer of `GET /api/tokens`. */
export const listApiTokensResponseSchema = z.object({ items: z.array(apiTokenSchema) });

/** The answer of `POST /api/auth/register`. */
export type RegisterResponse = z.infer<typeof registerResponseSchema>;

/** An access token with its lifetime and refresh token (`POST /api/auth/refresh`). */
export type TokenPairResponse = z.infer<typeof tokenPairSchema>;

/** The answer of `POST /api/auth/login`. */
export type LoginResponse = z.infer<typeof loginResponseSchema>;

/** The answer of `POST /api/tokens`. */
export type CreateApiTokenResponse = z.infer<typeof createApiTokenResponseSchema>;

/** The answer of `GET /api/tokens`. */
export type ListApiTokensResponse = z.infer<typeof listApiTokensResponseSchema>;
