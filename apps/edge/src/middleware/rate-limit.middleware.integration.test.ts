import { createIsolatedRedis, freePort, type IsolatedRedis } from '@tonearm/testing';
import { Hono } from 'hono';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trustedProxies } from '../http/client-address.ts';
import { requestAddress } from '../http/request-address.ts';
import { fixedWindowLimiter, type Rate } from '../ratelimit/fixed-window-limiter.ts';
import { rateLimit } from './rate-limit.middleware.ts';

let redis: IsolatedRedis;
let client: Redis;

/** An app whose one route counts calls behind the limiter; the peer is 127.0.0.1, a trusted proxy. */
function limitedApp(redisClient: Redis, rate: Rate) {
  const sut = rateLimit({
    limiter: fixedWindowLimiter({ redis: redisClient, keyPrefix: `${redis.keyPrefix}ratelimit:` }),
    rate: () => rate,
    clientAddress: requestAddress(trustedProxies(['127.0.0.1'])),
    scope: 'register',
  });
  return new Hono().post('/api/auth/register', sut, (c) => c.json({ ok: true }, 201));
}

const from = (address: string) => ({ method: 'POST', headers: { 'x-forwarded-for': address } });

beforeAll(async () => {
  redis = await createIsolatedRedis({ label: 'edge_ratelimit' });
  client = new Redis(redis.url, { maxRetriesPerRequest: 1 });
});

afterAll(async () => {
  client.disconnect();
  await redis.cleanup();
});

describe('rateLimit', () => {
  it('refuses the (limit+1)th call from one address with 429, Retry-After and the API error body', async () => {
    const app = limitedApp(client, { limit: 3, windowSeconds: 60 });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await app.request('/api/auth/register', from('203.0.113.1'))).status);
    expect(statuses).toEqual([201, 201, 201]);

    const refused = await app.request('/api/auth/register', from('203.0.113.1'));
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(await refused.json()).toMatchObject({ error: { code: 'rate_limited', message: expect.any(String) } });
  });

  it('counts each client address on its own', async () => {
    const app = limitedApp(client, { limit: 1, windowSeconds: 60 });
    expect((await app.request('/api/auth/register', from('198.51.100.1'))).status).toBe(201);
    expect((await app.request('/api/auth/register', from('198.51.100.1'))).status).toBe(429);
    expect((await app.request('/api/auth/register', from('198.51.100.2'))).status).toBe(201);
    expect((await app.request('/api/auth/register', from('2001:db8::1'))).status).toBe(201);
  });

  it('counts the right-most untrusted hop, so a forged left-hand entry does not dodge the limit', async () => {
    const app = limitedApp(client, { limit: 1, windowSeconds: 60 });
    expect((await app.request('/api/auth/register', from('1.1.1.1, 192.0.2.50'))).status).toBe(201);
    expect((await app.request('/api/auth/register', from('2.2.2.2, 192.0.2.50'))).status).toBe(429);
  });

  it('starts a new window once the old one has expired', async () => {
    const app = limitedApp(client, { limit: 1, windowSeconds: 60 });
    expect((await app.request('/api/auth/register', from('192.0.2.77'))).status).toBe(201);
    expect((await app.request('/api/auth/register', from('192.0.2.77'))).status).toBe(429);
    await client.del(`${redis.keyPrefix}ratelimit:register:192.0.2.77`);
    expect((await app.request('/api/auth/register', from('192.0.2.77'))).status).toBe(201);
    expect(await client.ttl(`${redis.keyPrefix}ratelimit:register:192.0.2.77`)).toBeGreaterThan(0);
  });

  it('answers 503 and lets nothing through when Redis does not answer', async () => {
    const down = new Redis(`redis://127.0.0.1:${await freePort()}`, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    down.on('error', () => undefined);
    try {
      const answer = await limitedApp(down, { limit: 100, windowSeconds: 60 }).request(
        '/api/auth/register',
        from('203.0.113.99'),
      );
      expect(answer.status).toBe(503);
      expect(await answer.json()).toMatchObject({ error: { code: 'service_unavailable' } });
    } finally {
      down.disconnect();
    }
  });
});
