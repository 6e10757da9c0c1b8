import type { Registry } from '@tonearm/runtime';
import type { ObjectStore } from '@tonearm/storage';
import { LRUCache } from 'lru-cache';
import { Counter, Gauge } from 'prom-client';

/** A media object in memory. */
export interface MediaObject {
  body: Uint8Array;
  etag: string;
  /** The type stored with the object, when there is one. */
  contentType?: string;
}

/** Media objects (playlists, init and media segments, peaks) read from the store through a cache. */
export interface MediaObjects {
  get(key: string): Promise<MediaObject | undefined>;
  /** Bytes held in the cache now. */
  cachedBytes(): number;
}

/**
 * Reads small media objects whole and keeps the hot ones in an LRU bounded by `maxBytes`
 * (0: no cache). The objects under a track's HLS prefix never change once written, so a cached
 * copy is never stale; a deleted track's objects age out. Concurrent misses on one key share
 * one read. With `metrics`, every get is counted in `edge_segment_cache_requests_total` by
 * `result`: `hit` (answered from memory) or `miss` (read from the store, or joined a read in flight),
 * and `edge_segment_cache_bytes` / `edge_segment_cache_max_bytes` say how full it is.
 *
 * @example
 * const objects = mediaObjects({ store, maxBytes: 64 * 1024 ** 2, metrics: registry });
 * const segment = await objects.get('hls/<id>/aac-64k/seg-00000.m4s');
 */
export function mediaObjects(options: { store: ObjectStore; maxBytes: number; metrics?: Registry }): MediaObjects {
  const requests = options.metrics
    ? new Counter({
        name: 'edge_segment_cache_requests_total',
        help: 'Reads of HLS objects (playlists, segments) by whether the in-memory cache answered them',
        labelNames: ['result'],
        registers: [options.metrics],
      })
    : undefined;
  const hits = requests?.labels('hit');
  const misses = requests?.labels('miss');
  const cache =
    options.maxBytes > 0
      ? new LRUCache<string, MediaObject>({
          maxSize: options.maxBytes,
          sizeCalculation: (value) => Math.max(1, value.body.byteLength),
        })
      : undefined;
  if (options.metrics) {
    new Gauge({
      name: 'edge_segment_cache_bytes',
      help: 'Bytes of HLS objects held in the in-memory cache',
      registers: [options.metrics],
      collect() {
        this.set(cache?.calculatedSize ?? 0);
      },
    });
    new Gauge({
      name: 'edge_segment_cache_max_bytes',
      help: "The in-memory cache's bound in this process (EDGE_SEGMENT_CACHE_BYTES, split over the workers)",
      registers: [options.metrics],
    }).set(options.maxBytes);
  }
  const pending = new Map<string, Promise<MediaObject | undefined>>();
  const load = async (key: string) => {
    const object = await options.store.read(key);
    if (!object) return undefined;
    const chunks: Buffer[] = [];
    for await (const chunk of object.body) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const value = { body, etag: object.etag ?? `"${body.byteLength}"`, contentType: object.contentType };
    if (cache && body.byteLength <= options.maxBytes / 4) cache.set(key, value);
    return value;
  };
  return {
    async get(key) {
      const hit = cache?.get(key);
      if (hit) {
        hits?.inc();
        return hit;
      }
      misses?.inc();
      let reading = pending.get(key);
      if (!reading) {
        reading = load(key).finally(() => pending.delete(key));
        pending.set(key, reading);
      }
      return reading;
    },
    cachedBytes: () => cache?.calculatedSize ?? 0,
  };
}
