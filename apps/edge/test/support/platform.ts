import { randomBytes } from 'node:crypto';
import { dropNamespace, type Bus } from '@tonearm/bus';
import {
  createIsolatedDatabase,
  createIsolatedRedis,
  freePort,
  isolatedNamespace,
  sendRequest,
  startChildService,
  type Answer,
  type ChildService,
  type IsolatedDatabase,
  type IsolatedRedis,
  waitForHealthy,
} from '@tonearm/testing';
import { connectTestBus } from '../../../../packages/bus/test/bus-test-helper.ts';
import { startMotoS3, type MotoS3 } from '../../../../packages/storage/src/test-support/moto-s3-server.ts';

/** The whole platform as child processes on private stores, reached only through the edge. */
export interface Platform {
  edgeUrl: string;
  bus: Bus;
  s3: MotoS3;
  redis: IsolatedRedis;
  identityDatabase: IsolatedDatabase;
  identity: ChildService;
  edge: ChildService;
  /** A JSON request to the edge. */
  request(
    method: string,
    path: string,
    options?: { body?: unknown; token?: string; headers?: Record<string, string> },
  ): Promise<Answer>;
  stop(): Promise<void>;
}

/**
 * Starts identity, ingest, catalog, transcoder and the edge as child processes, each the way
 * `npm start` runs it, on one bus namespace, private databases, a Redis key prefix and a
 * private S3 server (moto: ingest needs multipart listing).
 *
 * @example
 * const platform = await startPlatform();
 * afterAll(() => platform.stop());
 */
export async function startPlatform(
  options: {
    edgeEnv?: Record<string, string>;
    transcoderEnv?: Record<string, string>;
    /** How long each service may take to become healthy (a busy machine starts them slowly). */
    readyTimeoutMs?: number;
  } = {},
): Promise<Platform> {
  const namespace = isolatedNamespace('edge');
  const bus = await connectTestBus('edge', { namespace });
  const [s3, redis, identityDatabase, ingestDatabase, catalogDatabase] = await Promise.all([
    startMotoS3(),
    createIsolatedRedis({ label: 'edge' }),
    createIsolatedDatabase({ label: 'edge_identity' }),
    createIsolatedDatabase({ label: 'edge_ingest' }),
    createIsolatedDatabase({ label: 'edge_catalog' }),
  ]);
  const common = { ...s3.env, BUS_NAMESPACE: namespace, LOG_LEVEL: 'warn', REDIS_URL: redis.url };
  const children: ChildService[] = [];
  const start = async (app: string, env: Record<string, string>) => {
    const child = await startChildService({ app, env: { ...common, ...env }, readyTimeoutMs: options.readyTimeoutMs });
    children.push(child);
    return child;
  };
  const teardown = async (signal: NodeJS.Signals, timeoutMs?: number) => {
    await Promise.all(children.map((child) => child.stop(signal, timeoutMs)));
    await dropNamespace(bus).catch(() => undefined);
    await bus.close();
    await Promise.all([
      s3.stop(),
      redis.cleanup(),
      identityDatabase.drop(),
      ingestDatabase.drop(),
      catalogDatabase.drop(),
    ]);
  };
  const edgePort = await freePort();
  try {
    const [identity] = await Promise.all([
      start('identity', {
        IDENTITY_PORT: String(await freePort()),
        IDENTITY_DATABASE_URL: identityDatabase.url,
        IDENTITY_REDIS_PREFIX: redis.keyPrefix,
      }),
      start('ingest', { INGEST_DATABASE_URL: ingestDatabase.url }),
      start('catalog', { CATALOG_DATABASE_URL: catalogDatabase.url }),
      start('transcoder', { TRANSCODER_CONCURRENCY: '1', ...options.transcoderEnv }),
    ]);
    const edge = await start('edge', {
      EDGE_PORT: String(edgePort),
      EDGE_HOST: '127.0.0.1',
      EDGE_UPSTREAM_TIMEOUT_MS: '3000',
      EDGE_RPC_TIMEOUT_MS: '3000',
      IDENTITY_REDIS_PREFIX: redis.keyPrefix,
      EDGE_MEDIA_SECRET: randomBytes(32).toString('base64url'),
      EDGE_WORKERS: '1',
      ...options.edgeEnv,
    });
    const edgeUrl = `http://127.0.0.1:${edgePort}`;
    await waitForHealthy(`${edgeUrl}/healthz`, { timeoutMs: 10_000 });
    return {
      edgeUrl,
      bus,
      s3,
      redis,
      identityDatabase,
      identity: identity!,
      edge,
      request: (method, path, options) => sendRequest(new URL(path, edgeUrl), method, options),
      stop: () => teardown('SIGTERM', 10_000),
    };
  } catch (error) {
    await teardown('SIGKILL');
    throw error;
  }
}
