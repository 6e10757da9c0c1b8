import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connectBus, listInstances, type Bus } from '@tonearm/bus';
import { createLogger } from '@tonearm/runtime';
import pg from 'pg';
import {
  createIsolatedDatabase,
  createIsolatedRedis,
  freePort,
  isolatedNamespace,
  serviceUrls,
  startChildService,
  type ChildService,
  type IsolatedDatabase,
  type IsolatedRedis,
} from '@tonearm/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const appDir = fileURLToPath(new URL('..', import.meta.url));
const { version } = JSON.parse(readFileSync(join(appDir, 'package.json'), 'utf8')) as { version: string };
const namespace = isolatedNamespace('identity');
let sut: ChildService;
let bus: Bus;
let database: IsolatedDatabase;
let redis: IsolatedRedis;
let httpPort: number;

beforeAll(async () => {
  bus = await connectBus({
    url: serviceUrls().natsUrl,
    namespace,
    name: 'identity-test',
    logger: createLogger({ service: 'identity-test', instanceId: 'test', level: 'silent' }),
  });
  database = await createIsolatedDatabase({ label: 'identity_main' });
  redis = await createIsolatedRedis({ label: 'identity-main' });
  httpPort = await freePort();
});

afterAll(async () => {
  await sut?.stop('SIGKILL');
  await database?.drop();
  await redis?.cleanup();
  if (!bus) return;
  const streams = [...bus.topology.streams.map((stream) => stream.name), `KV_${bus.topology.settingsBucket}`];
  for (const stream of streams) await bus.jsm.streams.delete(stream).catch(() => false);
  await bus.close();
});

describe('identity service', () => {
  it('starts from dist/main.js and reports its Nest application context ok on /healthz', async () => {
    sut = await startChildService({
      app: 'identity',
      env: {
        BUS_NAMESPACE: namespace,
        LOG_LEVEL: 'info',
        IDENTITY_PORT: String(httpPort),
        IDENTITY_DATABASE_URL: database.url,
        IDENTITY_REDIS_PREFIX: redis.keyPrefix,
      },
    });

    const response = await fetch(`${sut.opsUrl}/healthz`);

    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      status: 'ok',
      checks: { nest: { status: 'ok' }, bus: { status: 'ok' }, redis: { status: 'ok' }, postgres: { status: 'ok' } },
    });
  });

  it('announces itself on the bus with its version, ops URL and HTTP URL', async () => {
    const instances = await listInstances(bus, { name: 'identity' });

    expect(instances).toEqual([
      expect.objectContaining({
        name: 'identity',
        version,
        metadata: expect.objectContaining({ namespace, opsUrl: sut.opsUrl, httpUrl: `http://127.0.0.1:${httpPort}` }),
      }),
    ]);
  });

  it('serves its public keys on the HTTP port it announces', async () => {
    const response = await fetch(`http://127.0.0.1:${httpPort}/.well-known/jwks.json`);

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      keys: [
        expect.objectContaining({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig', kid: expect.any(String) }),
      ],
    });
  });

  it('created its database and applied the migrations at start', async () => {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const tables = await client.query<{ tablename: string }>(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename",
      );
      expect(tables.rows.map((row) => row.tablename)).toEqual(['api_tokens', 'signing_keys', 'users']);
    } finally {
      await client.end();
    }
  });

  it('serves Prometheus metrics naming the identity service, with HTTP durations by route and status', async () => {
    expect((await fetch(`http://127.0.0.1:${httpPort}/.well-known/jwks.json`)).status).toBe(200);
    const response = await fetch(`${sut.opsUrl}/metrics`);
    const body = await response.text();

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const info = body.split('\n').find((line) => line.startsWith('tonearm_service_info{'));
    expect(body).toMatch(/^# TYPE tonearm_service_info gauge$/m);
    expect(info).toContain('service="identity"');
    expect(info).toContain(`version="${version}"`);
    expect(info).toMatch(/\} 1$/);
    const jwks = body
      .split('\n')
      .find(
        (line) =>
          line.startsWith('http_request_duration_seconds_count{') && line.includes('route="/.well-known/jwks.json"'),
      );
    expect(jwks).toContain('method="GET"');
    expect(jwks).toContain('status="200"');
    expect(Number(jwks!.split(' ').pop())).toBeGreaterThanOrEqual(1);
  });

  it('writes Nest start-up lines as JSON through the service logger', () => {
    const lines = sut
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);

    expect(lines).toContainEqual(expect.objectContaining({ service: 'identity', component: 'nest', level: 'info' }));
    expect(sut.output()).not.toMatch(/\[Nest\]/);
  });

  it('never writes a password or a token in its log', async () => {
    const base = `http://127.0.0.1:${httpPort}`;
    const password = 'a passphrase nobody should log';
    const post = (path: string, body: unknown) =>
      fetch(`${base}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    await post('/api/auth/register', { email: 'quiet@example.org', password, displayName: 'Quiet' });
    const login = (await (await post('/api/auth/login', { email: 'quiet@example.org', password })).json()) as {
      accessToken: string;
      refreshToken: string;
    };
    await post('/api/auth/login', { email: 'quiet@example.org', password: `${password} but wrong` });
    await post('/api/auth/refresh', { refreshToken: login.refreshToken });

    expect(login.accessToken).toBeTruthy();
    expect(sut.output()).not.toContain(password);
    expect(sut.output()).not.toContain(login.accessToken);
    expect(sut.output()).not.toContain(login.refreshToken);
    expect(sut.output()).not.toContain('$argon2id$');
  });

  it('closes the Nest context and exits 0 on SIGTERM', async () => {
    const code = await sut.stop('SIGTERM');

    expect(code).toBe(0);
    expect(sut.output()).toMatch(/"clean":true[^\n]*"msg":"stopped"/);
  });
});

describe('identity configuration', () => {
  it('refuses to start with an invalid variable and names it', async () => {
    const start = startChildService({
      app: 'identity',
      env: { BUS_NAMESPACE: 'Not A Namespace', IDENTITY_PORT: 'not-a-port' },
      readyTimeoutMs: 20_000,
    });

    await expect(start).rejects.toThrow(/exited with code 78[\s\S]*BUS_NAMESPACE[\s\S]*IDENTITY_PORT/);
  });
});
