import { connectBus, dropNamespace, listInstances, putSetting, type Bus } from '@tonearm/bus';
import { serviceNames, type ServiceName } from '@tonearm/contracts';
import {
  eventually,
  freePort,
  isolatedNamespace,
  serviceUrls,
  startChildService,
  type ChildService,
} from '@tonearm/testing';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const namespace = isolatedNamespace('apps');
const running = new Map<ServiceName, ChildService>();
let bus: Bus;

beforeAll(async () => {
  bus = await connectBus({
    url: serviceUrls().natsUrl,
    namespace,
    name: 'apps-test',
    logger: pino({ level: 'silent' }),
  });
  const env = { BUS_NAMESPACE: namespace, LOG_LEVEL: 'info' };
  const ports = { EDGE_PORT: String(await freePort()), EDGE_HOST: '127.0.0.1', WEB_PORT: String(await freePort()) };
  const started = await Promise.all(
    serviceNames.map(async (app) => [app, await startChildService({ app, env: { ...env, ...ports } })] as const),
  );
  for (const [app, child] of started) running.set(app, child);
}, 120_000);

afterAll(async () => {
  await Promise.all([...running.values()].map((child) => child.stop('SIGKILL', 1_000)));
  await dropNamespace(bus);
  await bus.close();
});

describe('every app', () => {
  it('announces itself with its version and health', async () => {
    const instances = await eventually(
      () => listInstances(bus, { withHealth: true }),
      (found) => serviceNames.every((name) => found.some((i) => i.name === name)),
    );
    for (const name of serviceNames) {
      const instance = instances.find((i) => i.name === name)!;
      expect(instance, name).toMatchObject({ version: '0.1.0', metadata: { namespace } });
      expect(instance.health?.checks.bus).toEqual({ status: 'ok' });
    }
  });

  it('serves Prometheus metrics on its ops port', async () => {
    for (const [name, child] of running) {
      const text = await (await fetch(`${child.opsUrl}/metrics`)).text();
      expect(text, name).toMatch(new RegExp(`^tonearm_service_info\\{.*service="${name}".*\\} 1$`, 'm'));
    }
  });

  it('applies a runtime setting change without restart', async () => {
    const ladder = [
      { name: 'aac-96k', codec: 'aac-lc', bitrate: 96_000 },
      { name: 'aac-192k', codec: 'aac-lc', bitrate: 192_000 },
    ];
    await putSetting(bus, 'transcode.ladder', ladder);
    const transcoder = running.get('transcoder')!;
    const applied = await eventually(
      async () => (await (await fetch(`${transcoder.opsUrl}/settings`)).json()) as Record<string, unknown>,
      (settings) => JSON.stringify(settings['transcode.ladder']) === JSON.stringify(ladder),
    );
    expect(applied['transcode.ladder']).toEqual(ladder);
  });

  it('leaves discovery and exits 0 on SIGTERM', async () => {
    for (const [name, child] of running) {
      expect(await child.stop('SIGTERM'), name).toBe(0);
      running.delete(name);
    }
    const left = await listInstances(bus);
    expect(left).toEqual([]);
  });
});
