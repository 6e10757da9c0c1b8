import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { freePort } from '../processes/free-port.ts';
import { waitForHealthy } from '../processes/wait-for-healthy.ts';
import { serviceUrls } from '../service-urls.ts';
import { probeNats, probePostgres, probeRedis } from './service-probes.ts';

const natsServer = '/usr/sbin/nats-server';

describe('service probes', () => {
  it('find the NATS (with JetStream), Postgres and Redis of the test run', async () => {
    const urls = serviceUrls();

    const results = await Promise.all([
      probeNats(urls.natsUrl),
      probePostgres(urls.databaseUrl),
      probeRedis(urls.redisUrl),
    ]);

    expect(results).toEqual([{ ok: true }, { ok: true }, { ok: true }]);
  });

  it.each([
    ['NATS', (url: string) => probeNats(`nats://${url}`), /no NATS server answers/],
    ['Postgres', (url: string) => probePostgres(`postgres://postgres@${url}/postgres`), /ECONNREFUSED/],
    ['Redis', (url: string) => probeRedis(`redis://${url}`), /ECONNREFUSED/],
  ])('report %s on a closed port as unreachable with the cause', async (_name, probe, reason) => {
    const port = await freePort();

    const result = await probe(`127.0.0.1:${port}`);

    expect(result).toEqual({ ok: false, reason: expect.stringMatching(reason) });
  });

  it('reports a Postgres database that does not exist', async () => {
    const url = new URL(serviceUrls().databaseUrl);
    url.pathname = '/no_such_database_here';

    const result = await probePostgres(url.toString());

    expect(result).toEqual({ ok: false, reason: expect.stringMatching(/does not exist/) });
  });

  it.skipIf(!existsSync(natsServer))('tells a NATS server without JetStream from one with it', async () => {
    const port = await freePort();
    const monitorPort = await freePort();
    const server = spawn(natsServer, ['-a', '127.0.0.1', '-p', String(port), '-m', String(monitorPort)], {
      stdio: 'ignore',
    });
    try {
      await waitForHealthy(`http://127.0.0.1:${monitorPort}/healthz`, { timeoutMs: 10_000 });

      const result = await probeNats(`nats://127.0.0.1:${port}`);

      expect(result).toEqual({ ok: false, reason: expect.stringMatching(/JetStream is not enabled/) });
    } finally {
      server.kill('SIGTERM');
    }
  });
});
