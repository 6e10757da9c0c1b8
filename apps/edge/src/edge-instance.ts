import cluster from 'node:cluster';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { startService } from '@tonearm/service-host';
import { createS3Client, ObjectStore } from '@tonearm/storage';
import { Redis } from 'ioredis';
import packageJson from '../package.json' with { type: 'json' };
import { createEdgeListener } from './app.ts';
import { authenticator } from './auth/authenticator.ts';
import { followIdentityEvents } from './auth/identity-events.ts';
import { sessionChecker } from './auth/session-checker.ts';
import { signingKeys } from './auth/signing-keys.ts';
import { edgeEnvShape, workerCacheBytes } from './config/edge-env.ts';
import { WORKER_READY } from './http/edge-workers.ts';
import { trustedProxies } from './http/client-address.ts';
import { requestAddress } from './http/request-address.ts';
import { fixedWindowLimiter } from './ratelimit/fixed-window-limiter.ts';
import { watchInstances } from './discovery/instance-directory.ts';
import { mediaObjects } from './media/media-objects.ts';
import { mediaTokens } from './media/media-token.ts';

/** One edge instance: the whole service in this process (a cluster worker, the primary, or alone). */
let listening = false;
/** The running service, so the primary can stop its workers as part of its own shutdown. */
export const service = await startService({
  name: 'edge',
  version: packageJson.version,
  description: 'Public HTTP entry: API, HLS delivery and web pages',
  env: edgeEnvShape,
  // Registered before the ops server answers, so the edge is not reported healthy before its public port listens.
  healthChecks: {
    http: () => (listening ? { status: 'ok' } : { status: 'failing', detail: 'the public port is not listening yet' }),
  },
});
const { env, logger, bus } = service;

const hasHttpUrl = { logger, accept: (i: { metadata: { httpUrl?: string | undefined } }) => !!i.metadata.httpUrl };
const web = watchInstances(bus, 'web', hasHttpUrl);
const identity = watchInstances(bus, 'identity', hasHttpUrl);
await Promise.all([web.refresh(), identity.refresh()]);
service.addHealthCheck('web', () =>
  web.size() > 0
    ? { status: 'ok', detail: `${web.size()} instance(s)` }
    : { status: 'degraded', detail: 'no web instance' },
);

const redis = new Redis(env.REDIS_URL, {
  lazyConnect: true,
  maxRetriesPerRequest: 1,
  enableOfflineQueue: false,
  commandTimeout: 2_000,
});
redis.on('error', (error) => logger.debug({ err: error }, 'redis connection error'));
await redis.connect().catch((error: unknown) => logger.warn({ err: error }, 'redis is not reachable yet'));
service.addHealthCheck('redis', async () =>
  (await redis.ping().catch(() => 'down')) === 'PONG'
    ? { status: 'ok' }
    : { status: 'degraded', detail: 'sessions cannot be checked' },
);

const keys = signingKeys({
  logger,
  fetchJwks: async () => {
    const target = identity.next()?.metadata.httpUrl;
    if (!target) throw new Error('no identity instance');
    const response = await fetch(new URL('/.well-known/jwks.json', target), { signal: AbortSignal.timeout(2_000) });
    if (!response.ok) throw new Error(`identity answered ${response.status}`);
    return response.json();
  },
});
await keys.refresh();
const sessions = sessionChecker({ redis, keyPrefix: env.IDENTITY_REDIS_PREFIX, cacheMs: env.EDGE_SESSION_CACHE_MS });
const auth = authenticator({
  bus,
  keys,
  sessions,
  issuer: env.IDENTITY_TOKEN_ISSUER,
  audience: env.IDENTITY_TOKEN_AUDIENCE,
  apiTokenCacheMs: env.EDGE_API_TOKEN_CACHE_MS,
  rpcTimeoutMs: env.EDGE_RPC_TIMEOUT_MS,
});
const stopEvents = followIdentityEvents(bus, { keys, sessions, authenticator: auth, logger });

if (!env.EDGE_MEDIA_SECRET) {
  logger.warn('EDGE_MEDIA_SECRET is unset: playback URLs work on this edge instance only');
}
const tokens = mediaTokens({
  secret: env.EDGE_MEDIA_SECRET ?? randomBytes(32).toString('base64url'),
  ttlSeconds: env.EDGE_MEDIA_TOKEN_TTL_SECONDS,
});
const store = new ObjectStore({ client: createS3Client(env), bucket: env.S3_BUCKET, keyPrefix: env.S3_KEY_PREFIX });

const listener = createEdgeListener({
  version: packageJson.version,
  logger,
  metrics: service.metrics,
  health: service.health,
  web,
  identity,
  bus,
  authenticator: auth,
  sessions,
  tokens,
  objects: mediaObjects({
    store,
    // The bound is the edge's total: each of its EDGE_WORKERS processes (main.ts runs that many) keeps its share.
    maxBytes: workerCacheBytes(env.EDGE_SEGMENT_CACHE_BYTES, env.EDGE_WORKERS),
    metrics: service.metrics,
  }),
  upstreamTimeoutMs: env.EDGE_UPSTREAM_TIMEOUT_MS,
  rpcTimeoutMs: env.EDGE_RPC_TIMEOUT_MS,
  corsOrigins: env.EDGE_CORS_ORIGINS,
  clientAddress: requestAddress(trustedProxies(env.EDGE_TRUSTED_PROXIES)),
  limiter: fixedWindowLimiter({ redis, keyPrefix: `${env.IDENTITY_REDIS_PREFIX}edge:ratelimit:` }),
  authRate: () => service.settings.get('ratelimit.auth'),
});
const server = createServer(listener);
// A cluster worker binds its own socket (exclusive) so the kernel, not the primary, spreads connections.
const listenOptions = { port: env.EDGE_PORT, host: env.EDGE_HOST, reusePort: env.EDGE_REUSE_PORT };
server.listen({ ...listenOptions, exclusive: cluster.isWorker }, () => {
  listening = true;
  logger.info({ port: env.EDGE_PORT }, `edge listening on http://localhost:${env.EDGE_PORT}`);
  if (cluster.isWorker) process.send?.(WORKER_READY);
});
service.onShutdown(async () => {
  stopEvents();
  web.stop();
  identity.stop();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  redis.disconnect();
  store.client.destroy();
});
