import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { serviceUrls } from '../service-urls.ts';
import { createIsolatedRedis, deleteKeysWithPrefix } from './isolated-redis.ts';

describe('createIsolatedRedis', () => {
  it('prefixes every key its client writes', async () => {
    const sut = await createIsolatedRedis({ label: 'iso' });
    const raw = new Redis(serviceUrls().redisUrl);
    try {
      await sut.client.set('session:1', 'alice');

      expect(sut.keyPrefix).toMatch(/^iso_[0-9a-f]{10}:$/);
      expect(await raw.get(`${sut.keyPrefix}session:1`)).toBe('alice');
    } finally {
      raw.disconnect();
      await sut.cleanup();
    }
  });

  it('removes every key under its prefix on cleanup and nothing else', async () => {
    const sut = await createIsolatedRedis();
    const neighbour = await createIsolatedRedis();
    const raw = new Redis(serviceUrls().redisUrl);
    try {
      await Promise.all(Array.from({ length: 1200 }, (_, index) => sut.client.set(`k${index}`, 'v')));
      await neighbour.client.set('kept', 'v');

      await sut.cleanup();

      expect(await raw.keys(`${sut.keyPrefix}*`)).toEqual([]);
      expect(await raw.get(`${neighbour.keyPrefix}kept`)).toBe('v');
    } finally {
      raw.disconnect();
      await neighbour.cleanup();
    }
  });
});

describe('deleteKeysWithPrefix', () => {
  it('treats glob characters in the prefix literally', async () => {
    const raw = new Redis(serviceUrls().redisUrl);
    const base = `glob_${process.pid}_${Date.now()}`;
    try {
      await raw.set(`${base}*:a`, '1');
      await raw.set(`${base}x:b`, '1');

      const deleted = await deleteKeysWithPrefix(raw, `${base}*:`);

      expect(deleted).toBe(1);
      expect(await raw.get(`${base}x:b`)).toBe('1');
    } finally {
      await raw.del(`${base}*:a`, `${base}x:b`);
      raw.disconnect();
    }
  });
});
