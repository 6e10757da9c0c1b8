import { ConfigError, loadEnv, portVariable, urlVariable } from '@tonearm/runtime';
import { serviceNames } from '@tonearm/contracts';
import { storageEnvShape } from '@tonearm/storage';
import { z } from 'zod';

/** The variables `npm start` reads itself; the apps validate theirs again when they start. */
export const startConfigShape = {
  NATS_URL: urlVariable(['nats', 'tls'], 'nats://127.0.0.1:4222'),
  DATABASE_URL: urlVariable(['postgres', 'postgresql'], 'postgres://postgres@127.0.0.1:5432/postgres'),
  IDENTITY_DATABASE_URL: urlVariable(['postgres', 'postgresql']).optional(),
  INGEST_DATABASE_URL: urlVariable(['postgres', 'postgresql']).optional(),
  CATALOG_DATABASE_URL: urlVariable(['postgres', 'postgresql']).optional(),
  REDIS_URL: urlVariable(['redis', 'rediss'], 'redis://127.0.0.1:6379'),
  ...storageEnvShape,
  LOCAL_S3_PORT: portVariable(9000),
  EDGE_PORT: portVariable(8080),
  WEB_PORT: portVariable(3000),
  /** First of the apps' ops ports (identity, ingest, ... in service order); 0 takes free ones; unset, each app's default. */
  OPS_BASE_PORT: z.coerce.number().int().min(0).max(65_500).optional(),
  /** Only these apps (comma-separated), built and run; unset, every app. */
  START_APPS: z
    .string()
    .transform((value) =>
      value
        .split(',')
        .map((app) => app.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.enum(serviceNames)).min(1))
    .optional(),
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
