import { dropNamespace, listInstances, putSetting } from '@tonearm/bus';
import { isolatedNamespace, serviceUrls } from '@tonearm/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { startService, type RunningService } from './start-service.ts';

const namespace = isolatedNamespace('host');
const started: RunningService[] = [];

async function start() {
  const service = await startService({
    name: 'ingest',
    version: '9.9.9',
    description: 'test instance',
    ownsProcess: false,
    environment: { NATS_URL: serviceUrls().natsUrl, BUS_NAMESPACE: namespace, OPS_PORT: '0', LOG_LEVEL: 'silent' },
  });
  started.push(service);
  return service;
}

afterAll(async () => {
  const [first] = started;
  if (first) {
    if (first.bus.isConnected()) await dropNamespace(first.bus);
  }
  await Promise.all(started.map((s) => s.shutdown()));
});

describe('startService', () => {
  it('serves health, metrics and the applied settings on its ops port', async () => {
    const sut = await start();
    const health = await fetch(`${sut.opsUrl}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', checks: { bus: { status: 'ok' } } });
    expect(await (await fetch(`${sut.opsUrl}/metrics`)).text()).toMatch(
      /tonearm_service_info\{.*version="9.9.9".*\} 1/,
    );
    expect(await (await fetch(`${sut.opsUrl}/settings`)).json()).toMatchObject({ 'transcode.segmentSeconds': 6 });
  });

  it('lists two instances in discovery and drops one that stops', async () => {
    const [a, b] = await Promise.all([start(), start()]);
    const ids = async () => (await listInstances(a!.bus, { name: 'ingest' })).map((i) => i.id);
    expect(await ids()).toEqual(expect.arrayContaining([a!.instanceId, b!.instanceId]));
    await b!.shutdown();
    expect(await ids()).not.toContain(b!.instanceId);
    expect(await ids()).toContain(a!.instanceId);
  });

  it('applies a settings change live and keeps the last good value on a bad one', async () => {
    const sut = await start();
    const changed = new Promise((resolve) => sut.settings.onChange('transcode.segmentSeconds', resolve));
    await putSetting(sut.bus, 'transcode.segmentSeconds', 4);
    expect(await changed).toBe(4);
    expect(await (await fetch(`${sut.opsUrl}/settings`)).json()).toMatchObject({ 'transcode.segmentSeconds': 4 });
    await expect(putSetting(sut.bus, 'transcode.segmentSeconds', 60)).rejects.toThrow(/segmentSeconds|60|less/i);
    expect(sut.settings.get('transcode.segmentSeconds')).toBe(4);
  });
});
