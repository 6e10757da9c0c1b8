import { randomBytes, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { listInstances } from '@tonearm/bus';
import { objectKeys, sessionKeys } from '@tonearm/contracts';
import { ObjectStore } from '@tonearm/storage';
import {
  createIsolatedRedis,
  eventually,
  freePort,
  isolatedNamespace,
  startChildService,
  testS3,
  type ChildService,
  type IsolatedRedis,
  type TestS3,
} from '@tonearm/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectTestBus, removeNamespace } from '../../../../packages/bus/test/bus-test-helper.ts';
import { cacheFriendlyMmapThreshold } from '../config/malloc-settings.ts';
import { mediaTokens } from '../media/media-token.ts';
import { freshGet } from '../../test/support/fresh-get.ts';
import { metricSum } from '../../test/support/metric-sum.ts';

let s3: TestS3;
let redis: IsolatedRedis;
let bus: Awaited<ReturnType<typeof connectTestBus>>;
let edge: ChildService;
let base: string;
let segmentPath: string;
const sessionId = randomUUID();
const cacheBytes = 8 * 1024 ** 2;

beforeAll(async () => {
  s3 = testS3('edge-workers');
  redis = await createIsolatedRedis({ label: 'edge-workers' });
  const trackId = randomUUID();
  const store = new ObjectStore({ client: s3.client, bucket: s3.bucket, keyPrefix: s3.prefix });
  await store.put(`${objectKeys.hlsPrefix(trackId)}aac-64k/seg-00000.m4s`, randomBytes(4096), 'audio/mp4');
  const userId = randomUUID();
  await redis.client.hset(sessionKeys.session(sessionId), {
    userId,
    roles: 'user',
    createdAt: new Date().toISOString(),
  });
  const secret = randomBytes(32).toString('base64url');
  const { token } = await mediaTokens({ secret, ttlSeconds: 600 }).issue({ userId, sessionId, trackId });
  segmentPath = `/stream/${trackId}/aac-64k/seg-00000.m4s?t=${token}`;
  bus = await connectTestBus('edge-workers', { namespace: isolatedNamespace('edge-workers') });
  const port = await freePort();
  edge = await startChildService({
    app: 'edge',
    env: {
      BUS_NAMESPACE: bus.topology.namespace,
      S3_KEY_PREFIX: s3.prefix,
      EDGE_PORT: String(port),
      EDGE_HOST: '127.0.0.1',
      EDGE_WORKERS: '2',
      EDGE_SEGMENT_CACHE_BYTES: String(cacheBytes),
      EDGE_MEDIA_SECRET: secret,
      REDIS_URL: redis.url,
      IDENTITY_REDIS_PREFIX: redis.keyPrefix,
      LOG_LEVEL: 'warn',
      MALLOC_MMAP_THRESHOLD_: undefined,
    },
  });
  base = `http://127.0.0.1:${port}`;
}, 60_000);

afterAll(async () => {
  await edge?.stop();
  if (bus) {
    await removeNamespace(bus);
    await bus.close();
  }
  await redis?.cleanup();
  await s3?.cleanup();
});

describe('EDGE_WORKERS=2', () => {
  it(
    'serves the public port from both workers, each with its own metrics and half the cache bound',
    { timeout: 60_000 },
    async () => {
      // Worker 0 (the primary) answers on OPS_PORT, worker 1 on a free port it announces in discovery.
      const opsUrls = await eventually(
        async () => (await listInstances(bus, { name: 'edge' })).map((instance) => instance.metadata.opsUrl),
        (urls) => urls.length === 2,
        { timeoutMs: 20_000 },
      );
      expect(opsUrls).toContain(edge.opsUrl);
      const counts = await eventually(
        async () => {
          for (let i = 0; i < 10; i++) expect(await freshGet(base + segmentPath)).toBe(200);
          return Promise.all(opsUrls.map((url) => metricSum(url, 'edge_segment_cache_requests_total')));
        },
        (found) => found.every((count) => count > 0),
        { timeoutMs: 30_000 },
      );
      expect(Math.min(...counts)).toBeGreaterThan(0);
      const bounds = await Promise.all(opsUrls.map((url) => metricSum(url, 'edge_segment_cache_max_bytes')));
      expect(bounds).toEqual([cacheBytes / 2, cacheBytes / 2]);
    },
  );

  it('ends the playback URL on every worker once the session is gone', { timeout: 60_000 }, async () => {
    await redis.client.del(sessionKeys.session(sessionId));

    const statuses = await eventually(
      async () => Promise.all(Array.from({ length: 10 }, () => freshGet(base + segmentPath))),
      (list) => list.every((status) => status === 401),
      { timeoutMs: 10_000, intervalMs: 200 },
    );
    expect(statuses).toEqual(Array.from({ length: 10 }, () => 401));
  });

  it('runs with the cache-friendly malloc threshold, the primary started again in place', async () => {
    const pid = edge.process.pid!;
    const worker = Number((await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8')).trim());
    for (const process of [pid, worker]) {
      const environment = (await readFile(`/proc/${process}/environ`, 'utf8')).split('\0');
      expect(environment).toContain(`MALLOC_MMAP_THRESHOLD_=${cacheFriendlyMmapThreshold}`);
    }
  });

  it('stops its worker and itself, exiting 0, on SIGTERM', { timeout: 60_000 }, async () => {
    const pid = edge.process.pid!;
    // The primary is worker 0 itself; worker 1 is its child.
    const workers = (await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8')).trim().split(/\s+/).map(Number);
    expect(workers).toHaveLength(1);

    expect(await edge.stop('SIGTERM', 20_000)).toBe(0);
    for (const worker of workers) expect(() => process.kill(worker, 0)).toThrow();
  });
});
