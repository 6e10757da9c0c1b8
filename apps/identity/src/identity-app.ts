import type { AddressInfo } from 'node:net';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { RunningService } from '@tonearm/service-host';
import type { Redis } from 'ioredis';
import { httpRequestMetrics, type CheckResult } from '@tonearm/runtime';
import { appContextCheckName } from './app-context-health.provider.ts';
import { AppModule } from './app.module.ts';
import type { identityEnvShape } from './config/identity-env.ts';
import { openDatabase } from './database/database.ts';
import { NestLogger } from './nest-logger.ts';
import { Argon2PasswordHasher, type PasswordHasher } from './repositories/password-hasher.ts';
import { createRedisClient } from './repositories/redis-client.ts';

/** Identity's HTTP application, listening. */
export interface IdentityApp {
  /** Base URL it listens on, e.g. `http://127.0.0.1:3001`. */
  url: string;
  app: NestExpressApplication;
  redis: Redis;
  /** Stops the HTTP server, then closes Redis and Postgres. */
  close(): Promise<void>;
}

/** The `nest` health check until the application context replaces it. */
export const startingCheck = (): CheckResult => ({
  status: 'failing',
  detail: 'identity is starting: connecting to Postgres and Redis',
});

/** Waits until Redis is ready, or gives up quietly: identity starts anyway and answers 503 until it is. */
function redisReady(redis: Redis, timeoutMs: number): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, timeoutMs);
    redis.once('ready', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/**
 * Connects identity to its Postgres database (created and migrated when needed) and Redis,
 * adds their health checks, and serves the Nest HTTP application on `IDENTITY_HOST:IDENTITY_PORT`.
 *
 * @example
 * const service = await startService({ name: 'identity', version, description, env: identityEnvShape });
 * const identity = await startIdentityApp(service);
 * service.onShutdown(() => identity.close());
 */
export async function startIdentityApp(
  service: RunningService<typeof identityEnvShape>,
  options: { passwordHasher?: PasswordHasher } = {},
): Promise<IdentityApp> {
  const config = service.env;
  service.addHealthCheck(appContextCheckName, startingCheck);
  const { db, pool } = await openDatabase(config.IDENTITY_DATABASE_URL);
  const redis = createRedisClient(config.REDIS_URL, config.IDENTITY_REDIS_PREFIX);
  let redisDown = false;
  redis.on('error', (error: Error) => {
    if (!redisDown) service.logger.error({ err: error }, 'lost Redis; login and sessions answer 503 until it is back');
    redisDown = true;
  });
  redis.on('ready', () => {
    if (redisDown) service.logger.info('Redis is back');
    redisDown = false;
  });
  service.addHealthCheck('redis', () =>
    redis.status === 'ready' ? { status: 'ok' } : { status: 'failing', detail: `Redis is ${redis.status}` },
  );
  service.addHealthCheck('postgres', async () => {
    try {
      await pool.query('SELECT 1');
      return { status: 'ok' };
    } catch (error) {
      return { status: 'failing', detail: `Postgres: ${(error as Error).message}` };
    }
  });
  await redisReady(redis, 5_000);

  const closeStores = async () => {
    redis.disconnect();
    await pool.end();
  };
  try {
    const app = await NestFactory.create<NestExpressApplication>(
      AppModule.forService(service, {
        config,
        db,
        redis,
        passwordHasher: options.passwordHasher ?? new Argon2PasswordHasher(),
      }),
      { logger: new NestLogger(service.logger), abortOnError: false },
    );
    app.disable('x-powered-by');
    app.use(httpRequestMetrics(service.metrics));
    await app.listen(config.IDENTITY_PORT, config.IDENTITY_HOST);
    const { port } = app.getHttpServer().address() as AddressInfo;
    const host = config.IDENTITY_HOST.includes(':') ? `[${config.IDENTITY_HOST}]` : config.IDENTITY_HOST;
    const url = `http://${host}:${port}`;
    service.logger.info({ url }, 'identity listens');
    return {
      url,
      app,
      redis,
      close: async () => {
        await app.close();
        await closeStores();
      },
    };
  } catch (error) {
    await closeStores();
    throw error;
  }
}
