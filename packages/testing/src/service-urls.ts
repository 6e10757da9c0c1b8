/** Where the real services of an integration test run are. */
export interface ServiceUrls {
  natsUrl: string;
  databaseUrl: string;
  redisUrl: string;
  /** Undefined until the global setup has found or started an S3-compatible server. */
  s3Endpoint: string | undefined;
}

/**
 * The services a test talks to: the URLs in the environment when set, else the standard local
 * ports. The global setup checks that they answer (and starts what it can) before any test runs.
 */
export function serviceUrls(env: NodeJS.ProcessEnv = process.env): ServiceUrls {
  return {
    natsUrl: env.NATS_URL ?? 'nats://127.0.0.1:4222',
    databaseUrl: env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    redisUrl: env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    s3Endpoint: env.S3_ENDPOINT,
  };
}
