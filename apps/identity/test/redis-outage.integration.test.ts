import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { freePort } from '@tonearm/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { signUp, startIdentity, type IdentityUnderTest, type SignedInUser } from './identity-harness.ts';

let port: number;
let redisServer: ChildProcess | undefined;
let sut: IdentityUnderTest;
let user: SignedInUser;

/** A Redis of this test alone, so stopping it disturbs no one else. */
async function startRedis(): Promise<void> {
  redisServer = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: 'ignore',
    },
  );
  const probe = new Redis(port, '127.0.0.1', {
    lazyConnect: true,
    retryStrategy: () => 50,
    maxRetriesPerRequest: null,
  });
  probe.on('error', () => undefined);
  try {
    await vi.waitFor(async () => expect(await probe.ping()).toBe('PONG'), { timeout: 10_000, interval: 50 });
  } finally {
    probe.disconnect();
  }
}

async function stopRedis(): Promise<void> {
  if (!redisServer || redisServer.exitCode !== null) return;
  const exited = once(redisServer, 'exit');
  redisServer.kill('SIGKILL');
  await exited;
}

async function health() {
  const response = await fetch(`${sut.service.opsUrl}/healthz`);
  return (await response.json()) as { checks: Record<string, { status: string }> };
}

beforeAll(async () => {
  port = await freePort();
  await startRedis();
  sut = await startIdentity({ label: 'identity-redis', redisUrl: `redis://127.0.0.1:${port}` });
  user = await signUp(sut);
});

afterAll(async () => {
  if (redisServer?.exitCode !== null) await startRedis().catch(() => undefined);
  await sut?.stop();
  await stopRedis();
});

describe('when Redis is down', () => {
  it('login answers 503 with a clear error, and the health check names Redis', async () => {
    await stopRedis();

    const answer = await sut.request('POST', '/api/auth/login', {
      body: { email: user.email, password: user.password },
    });

    expect(answer.status).toBe(503);
    expect(answer.body.error).toEqual({ code: 'service_unavailable', message: expect.stringMatching(/session store/) });
    expect(answer.headers.get('retry-after')).toBe('5');
    expect((await health()).checks.redis?.status).toBe('failing');
  });

  it('a token check answers 503 too, never a false 401 or 200', async () => {
    const answer = await sut.request('GET', '/api/me', { token: user.accessToken });

    expect(answer.status).toBe(503);
  });

  it('registration, which needs only Postgres, still works', async () => {
    const answer = await sut.request('POST', '/api/auth/register', {
      body: { email: 'during-outage@example.org', password: 'registered while redis slept', displayName: 'Late' },
    });

    expect(answer.status).toBe(201);
  });

  it('login works again once Redis is back, without restarting identity', async () => {
    await startRedis();
    await vi.waitFor(async () => expect((await health()).checks.redis?.status).toBe('ok'), {
      timeout: 10_000,
      interval: 100,
    });

    const answer = await sut.request('POST', '/api/auth/login', {
      body: { email: user.email, password: user.password },
    });
    const late = await sut.request('POST', '/api/auth/login', {
      body: { email: 'during-outage@example.org', password: 'registered while redis slept' },
    });

    expect(answer.status).toBe(200);
    expect((await sut.request('GET', '/api/me', { token: answer.body.accessToken })).status).toBe(200);
    expect(late.status).toBe(200);
  });
});
