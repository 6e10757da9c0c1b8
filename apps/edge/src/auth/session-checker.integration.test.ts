import { randomUUID } from 'node:crypto';
import { sessionKeys } from '@tonearm/contracts';
import { createIsolatedRedis, type IsolatedRedis } from '@tonearm/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionChecker } from './session-checker.ts';

let redis: IsolatedRedis;
let plain: Redis;

beforeAll(async () => {
  redis = await createIsolatedRedis({ label: 'session-checker' });
  plain = new Redis(redis.url);
});

afterAll(async () => {
  plain?.disconnect();
  await redis?.cleanup();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function liveSession(): Promise<string> {
  const id = randomUUID();
  await redis.client.hset(sessionKeys.session(id), { userId: randomUUID() });
  return id;
}

describe('sessionChecker', () => {
  it('feels a deleted session within cacheMs, although it refreshes ahead in the background', async () => {
    const sut = sessionChecker({ redis: plain, keyPrefix: redis.keyPrefix, cacheMs: 300 });
    const id = await liveSession();
    expect(await sut.isAlive(id)).toBe(true);
    await sleep(200);
    expect(await sut.isAlive(id)).toBe(true); // past half its life: served, and asked again

    await redis.client.del(sessionKeys.session(id));
    await sleep(350);

    expect(await sut.isAlive(id)).toBe(false);
  });

  it('ends a forgotten session at once, even when an answer asked before comes back after', async () => {
    const sut = sessionChecker({ redis: plain, keyPrefix: redis.keyPrefix, cacheMs: 1000 });
    const id = await liveSession();
    const inFlight = sut.isAlive(id);

    sut.forget([id]);

    expect(await inFlight).toBe(false);
    expect(await sut.isAlive(id)).toBe(false);
  });

  it('answers false for an unknown session', async () => {
    const sut = sessionChecker({ redis: plain, keyPrefix: redis.keyPrefix, cacheMs: 1000 });

    expect(await sut.isAlive(randomUUID())).toBe(false);
  });
});
