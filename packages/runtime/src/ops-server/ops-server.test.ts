import { pino } from 'pino';
import { Counter, Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import type { InstanceHealth } from '@tonearm/contracts';
import { startOpsServer, type OpsServer } from './ops-server.ts';

describe('startOpsServer', () => {
  let sut: OpsServer | undefined;
  afterEach(() => sut?.close());

  async function start(health: InstanceHealth) {
    const registry = new Registry();
    new Counter({ name: 'demo_total', help: 'demo', registers: [registry] }).inc(3);
    sut = await startOpsServer({
      host: '127.0.0.1',
      port: 0,
      registry,
      health: async () => health,
      views: { settings: () => ({ a: 1 }) },
      logger: pino({ level: 'silent' }),
    });
    return sut;
  }

  it('answers health, metrics and views', async () => {
    const { url } = await start({ status: 'ok', checks: { bus: { status: 'ok' } } });
    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok', checks: { bus: { status: 'ok' } } });
    expect(await (await fetch(`${url}/metrics`)).text()).toMatch(/^demo_total 3$/m);
    expect(await (await fetch(`${url}/settings`)).json()).toEqual({ a: 1 });
  });

  it('answers 503 when a check fails, 404 and 405 otherwise', async () => {
    const { url } = await start({ status: 'failing', checks: { bus: { status: 'failing', detail: 'down' } } });
    expect((await fetch(`${url}/healthz`)).status).toBe(503);
    expect((await fetch(`${url}/nope`)).status).toBe(404);
    expect((await fetch(`${url}/healthz`, { method: 'POST' })).status).toBe(405);
  });
});
