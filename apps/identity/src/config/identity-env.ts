import { accessTokenDefaults, defaultSessionKeyPrefix } from '@tonearm/contracts';
import { booleanVariable, portVariable, urlVariable } from '@tonearm/runtime';
import { z } from 'zod';

const seconds = (min: number, max: number, fallback: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

/**
 * The environment identity reads once at start, on top of the common service variables.
 * Passed to `startService({ env })`, which validates it and names every bad variable.
 */
export const identityEnvShape = {
  IDENTITY_HOST: z.string().min(1).default('127.0.0.1'),
  IDENTITY_PORT: portVariable(3001),
  /** The base URL published in discovery, when the listening address is not how the edge reaches it. */
  IDENTITY_HTTP_URL: urlVariable(['http', 'https']).optional(),
  IDENTITY_DATABASE_URL: urlVariable(['postgres', 'postgresql'], 'postgres://postgres@127.0.0.1:5432/tonearm_identity'),
  REDIS_URL: urlVariable(['redis', 'rediss'], 'redis://127.0.0.1:6379'),
  IDENTITY_REDIS_PREFIX: z
    .string()
    .regex(/^[\w:.-]{1,100}$/, 'must be 1 to 100 letters, digits, _, :, . or -')
    .default(defaultSessionKeyPrefix),
  /** Take the client address from `x-forwarded-for` (identity listens behind the edge). */
  IDENTITY_TRUST_PROXY: booleanVariable(true),
  /** Comma-separated emails that get the admin role when they register. */
  IDENTITY_ADMIN_EMAILS: z
    .string()
    .default('')
    .transform((list) =>
      list
        .split(',')
        .map((email) => email.trim().toLowerCase())
        .filter(Boolean),
    ),
  IDENTITY_TOKEN_ISSUER: z.string().min(1).default(accessTokenDefaults.issuer),
  IDENTITY_TOKEN_AUDIENCE: z.string().min(1).default(accessTokenDefaults.audience),
  IDENTITY_ACCESS_TOKEN_TTL_SECONDS: seconds(30, accessTokenDefaults.maxTtlSeconds, accessTokenDefaults.maxTtlSeconds),
  /** How long a session lives without a refresh; each refresh starts it again. */
  IDENTITY_SESSION_TTL_SECONDS: seconds(300, 90 * 86_400, 30 * 86_400),
  /**
   * How long a spent refresh token still gets a new pair (same session) instead of ending the
   * session as a reuse: covers answers the client never received and tabs refreshing at once.
   * 0 makes refresh tokens strictly single use.
   */
  IDENTITY_REFRESH_REUSE_GRACE_SECONDS: seconds(0, 300, 30),
  /** A signing key older than this is replaced at start. */
  IDENTITY_KEY_ROTATION_DAYS: z.coerce.number().int().min(1).max(365).default(30),
};

/** Identity's validated environment. */
export type IdentityEnv = z.infer<z.ZodObject<typeof identityEnvShape>>;

/**
 * The URL identity announces for the edge: `IDENTITY_HTTP_URL`, else its listening host and
 * port. Undefined when the variables are invalid, so `startService` reports them by name.
 *
 * @example
 * identityHttpUrl({ IDENTITY_PORT: '3001' }); // 'http://127.0.0.1:3001'
 */
export function identityHttpUrl(environment: NodeJS.ProcessEnv): string | undefined {
  const shape = z.object({
    IDENTITY_HOST: identityEnvShape.IDENTITY_HOST,
    IDENTITY_PORT: identityEnvShape.IDENTITY_PORT,
    IDENTITY_HTTP_URL: identityEnvShape.IDENTITY_HTTP_URL,
  });
  const parsed = shape.safeParse({
    IDENTITY_HOST: environment.IDENTITY_HOST || undefined,
    IDENTITY_PORT: environment.IDENTITY_PORT || undefined,
    IDENTITY_HTTP_URL: environment.IDENTITY_HTTP_URL || undefined,
  });
  if (!parsed.success) return undefined;
  if (parsed.data.IDENTITY_HTTP_URL) return parsed.data.IDENTITY_HTTP_URL;
  const host = parsed.data.IDENTITY_HOST.includes(':') ? `[${parsed.data.IDENTITY_HOST}]` : parsed.data.IDENTITY_HOST;
  return `http://${host}:${parsed.data.IDENTITY_PORT}`;
}
