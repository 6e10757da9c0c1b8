import { ObjectStore } from '@tonearm/storage';
import { Registry } from 'prom-client';
import { testS3, type TestS3 } from '@tonearm/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mediaObjects } from './media-objects.ts';

let s3: TestS3;
let store: ObjectStore;
const kib = (n: number, fill: number) => new Uint8Array(n * 1024).fill(fill);

beforeAll(async () => {
  s3 = testS3('edge-media');
  store = new ObjectStore({ client: s3.client, bucket: s3.bucket, keyPrefix: s3.prefix });
  for (let i = 0; i < 6; i++) await store.put(`hls/t/seg-${i}.m4s`, kib(10, i), 'audio/mp4');
});

afterAll(async () => {
  await s3?.cleanup();
});

describe('mediaObjects', () => {
  it('reads an object whole with its ETag, and answers undefined for a missing one', async () => {
    const sut = mediaObjects({ store, maxBytes: 0 });

    const object = await sut.get('hls/t/seg-1.m4s');

    expect(object?.body.byteLength).toBe(10 * 1024);
    expect(object?.body[0]).toBe(1);
    expect(object?.etag).toMatch(/^".+"$/);
    expect(await sut.get('hls/t/none.m4s')).toBeUndefined();
  });

  it('serves a cached object without reading the store again', async () => {
    const sut = mediaObjects({ store, maxBytes: 1024 * 1024 });
    await store.put('hls/t/once.m4s', kib(4, 7), 'audio/mp4');
    await sut.get('hls/t/once.m4s');
    await store.deletePrefix('hls/t/once.m4s');

    expect((await sut.get('hls/t/once.m4s'))?.body[0]).toBe(7);
  });

  it('keeps the cache within its byte bound, dropping the least recently used', async () => {
    const sut = mediaObjects({ store, maxBytes: 40 * 1024 });
    for (let i = 0; i < 6; i++) await sut.get(`hls/t/seg-${i}.m4s`);

    expect(sut.cachedBytes()).toBeLessThanOrEqual(40 * 1024);
    expect(sut.cachedBytes()).toBeGreaterThan(0);
  });

  it('keeps no object bigger than a quarter of the bound, so one object cannot empty the cache', async () => {
    const sut = mediaObjects({ store, maxBytes: 36 * 1024 });

    await sut.get('hls/t/seg-0.m4s');

    expect(sut.cachedBytes()).toBe(0);
  });

  it('counts hits and misses in edge_segment_cache_requests_total', async () => {
    const registry = new Registry();
    const sut = mediaObjects({ store, maxBytes: 1024 * 1024, metrics: registry });

    await sut.get('hls/t/seg-2.m4s');
    await sut.get('hls/t/seg-2.m4s');
    await sut.get('hls/t/seg-2.m4s');
    await sut.get('hls/t/none.m4s');

    const counted = await registry.getSingleMetric('edge_segment_cache_requests_total')!.get();
    const byResult = Object.fromEntries(counted.values.map((v) => [v.labels.result, v.value]));
    expect(byResult).toEqual({ hit: 2, miss: 2 });
  });
});
