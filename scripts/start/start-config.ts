import { ConfigError, loadEnv, portVariable, urlVariable } from '@tonearm/runtime';
import { z } from 'zod';

/** The variables `npm start` reads itself; the apps validate theirs again when they start. */
export const startConfigShape = {
  NATS_URL: urlVariable(['nats', 'tls'], 'nats://127.0.0.1:4222'),
  DATABASE_URL: urlVariable(['postgres', 'postgresql'], 'postgres://postgres@127.0.0.1:5432/postgres'),
  IDENTITY_DATABASE_URL: urlVariable(['postgres', 'postgresql']).optional(),
  CATALOG_DATABASE_URL: urlVariable(['postgres', 'postgresql']).optional(),
  REDIS_URL: urlVariable(['redis', 'rediss'], 'redis://127.0.0.1:6379'),
  S3_ENDPOINT: urlVariable(['http', 'https']).optional(),
  S3_REGION: z.string().min(1).default('us-east-1'),
  S3_BUCKET: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an S3 bucket name (3-63 lower case letters, digits, . or -)')
    .default('tonearm'),
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  LOCAL_S3_PORT: portVariable(9000),
  EDGE_PORT: portVariable(8080),
  WEB_PORT: portVariable(3000),
  START_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(600_000).default(60_000),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(25_000),
};

/** What `npm start` runs with, validated once. */
export type StartConfig = z.infer<z.ZodObject<typeof startConfigShape>>;

/**
 * Reads and validates the start configuration; a bad value throws a `ConfigError` naming
 * every bad variable.
 *
 * @example
 * const config = readStartConfig(process.env);
 */
export function readStartConfig(env: NodeJS.ProcessEnv): StartConfig {
  const config = loadEnv(startConfigShape, env);
  if (config.S3_ENDPOINT) {
    const missing = (['S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'] as const).filter((variable) => !config[variable]);
    if (missing.length > 0) {
      throw new ConfigError(missing.map((variable) => ({ variable, reason: 'must be set when S3_ENDPOINT is set' })));
    }
  }
  const clashes = Object.entries(
    Object.groupBy(
      (['EDGE_PORT', 'WEB_PORT', 'LOCAL_S3_PORT'] as const).filter((name) => config[name] !== 0),
      (name) => String(config[name]),
    ),
  ).filter(([, names]) => (names?.length ?? 0) > 1);
  if (clashes.length > 0) {
    throw new ConfigError(
      clashes.map(([port, names]) => ({
        variable: names!.join(', '),
        reason: `all set to port ${port}: each needs its own`,
      })),
    );
  }
  return config;
}
