import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { objectKeys, sessionKeys } from '@tonearm/contracts';
import { ObjectStore } from '@tonearm/storage';
import {
  freePort,
  isolatedNamespace,
  startChildService,
  testS3,
  waitForHealthy,
  type ChildService,
  type TestS3,
} from '@tonearm/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { connectTestBus, removeNamespace } from '../../../packages/bus/test/bus-test-helper.ts';
import { mediaTokens } from '../src/media/media-token.ts';
import { eventually } from './support/listener.ts';

const namespace = isolatedNamespace('edge-media');
const secret = randomBytes(32).toString('base64url');
const keyPrefix = 'edge-media-test:';
const trackId = randomUUID();
const sessionId = randomUUID();
const segment = new Uint8Array(5000).fill(9);
let redisPort: number;
let redisServer: ChildProcess | undefined;
let redis: Redis;
let s3: TestS3;
let edge: ChildService;
let edgeUrl: string;
let token: string;

/** A Redis of this test alone, so stopping it disturbs no one else. */
async function startRedis(): Promise<void> {
  redisServer = spawn(
    'redis-server',
    ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  await vi.waitFor(async () => expect(await redis.ping()).toBe('PONG'), { timeout: 10_000, interval: 50 });
}

async function stopRedis(): Promise<void> {
  if (!redisServer || redisServer.exitCode !== null) return;
  const exited = once(redisServer, 'exit');
  redisServer.kill('SIGKILL');
  await exited;
}

const get = (path: string) => fetch(`${edgeUrl}/stream/${trackId}/${path}?t=${encodeURIComponent(token)}`);

beforeAll(async () => {
  redisPort = await freePort();
  redis = new Redis(redisPort, '127.0.0.1', { lazyConnect: true, retryStrategy: () => 50, maxRetriesPerRequest: null });
  redis.on('error', () => undefined);
  await startRedis();
  s3 = testS3('edge-media');
  const store = new ObjectStore({ client: s3.client, bucket: s3.bucket, keyPrefix: s3.prefix });
  await store.put(objectKeys.master(trackId), '#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\nr/index.m3u8\n', 'x');
  await store.put(`${objectKeys.hlsPrefix(trackId)}r/seg-0.m4s`, segment, 'audio/mp4');
  await redis.hset(keyPrefix + sessionKeys.session(sessionId), { userId: randomUUID() });
  ({ token } = await mediaTokens({ secret, ttlSeconds: 600 }).issue({ userId: randomUUID(), sessionId, trackId }));

  const port = await freePort();
  edgeUrl = `http://127.0.0.1:${port}`;
  edge = await startChildService({
    app: 'edge',
    env: {
      BUS_NAMESPACE: namespace,
      LOG_LEVEL: 'warn',
      EDGE_PORT: String(port),
      EDGE_HOST: '127.0.0.1',
      REDIS_URL: `redis://127.0.0.1:${redisPort}`,
      IDENTITY_REDIS_PREFIX: keyPrefix,
      EDGE_MEDIA_SECRET: secret,
      S3_KEY_PREFIX: s3.prefix,
    },
  });
  await waitForHealthy(`${edgeUrl}/healthz`, { timeoutMs: 10_000 });
});

afterAll(async () => {
  await edge?.stop();
  redis?.disconnect();
  await stopRedis();
  await s3?.cleanup();
  const bus = await connectTestBus('edge-media', { namespace });
  await removeNamespace(bus);
  await bus.close();
});

describe('media behind a playback token', () => {
  it('serves the master rewritten with the token and a segment while the session lives', async () => {
    const master = await get('master.m3u8');
    expect(master.status).toBe(200);
    expect(await master.text()).toContain(`r/index.m3u8?t=${encodeURIComponent(token)}`);
    const answer = await get('r/seg-0.m4s');
    expect(answer.status).toBe(200);
    expect(Buffer.from(await answer.arrayBuffer()).equals(Buffer.from(segment))).toBe(true);
  });

  it('refuses the token once its session is gone from Redis, and takes it again when it is back', async () => {
    await redis.del(keyPrefix + sessionKeys.session(sessionId));
    expect(
      (
        await eventually(
          () => get('r/seg-0.m4s'),
          (r) => r.status === 401,
        )
      ).status,
    ).toBe(401);

    await redis.hset(keyPrefix + sessionKeys.session(sessionId), { userId: randomUUID() });
    expect(
      (
        await eventually(
          () => get('r/seg-0.m4s'),
          (r) => r.status === 200,
        )
      ).status,
    ).toBe(200);
  });

  it('answers 503 while Redis is down, never serving without the session check, and recovers', async () => {
    await stopRedis();
    const down = await eventually(
      () => get('r/seg-0.m4s'),
      (r) => r.status !== 200,
    );
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({ error: { code: 'service_unavailable' } });

    await startRedis();
    await redis.hset(keyPrefix + sessionKeys.session(sessionId), { userId: randomUUID() });
    expect(
      (
        await eventually(
          () => get('r/seg-0.m4s'),
          (r) => r.status === 200,
          10_000,
        )
      ).status,
    ).toBe(200);
  });
});
