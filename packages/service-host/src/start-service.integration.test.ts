import { callRpc, consume, dropNamespace, listInstances, putSetting, RpcError } from '@tonearm/bus';
import { getTrackRpc } from '@tonearm/contracts';
import { isolatedNamespace, serviceUrls } from '@tonearm/testing';
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { uploadCompletedData } from '../../bus/test/bus-test-helper.ts';
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

  it('counts events by type, times handlers and answers, and reports consumer lag on /metrics', async () => {
    const sut = await start();
    const handled: string[] = [];
    const consumer = consume(sut.bus, 'transcoder', async (event) => void handled.push(event.id));
    sut.onShutdown(() => consumer.stop());
    sut.serve(getTrackRpc, async () => {
      throw new RpcError('not_found', 'no such track');
    });
    const trackId = randomUUID();

    await sut.bus.publish('transcode.failed.v1', { data: { trackId, reason: 'not an audio file' } });
    await sut.bus.publish('ingest.upload.completed.v1', { data: { ...uploadCompletedData(), trackId } });
    await expect(callRpc(sut.bus, getTrackRpc, { id: trackId })).rejects.toThrow('no such track');
    await vi.waitFor(() => expect(handled).toHaveLength(1), { timeout: 15_000, interval: 50 });

    const metrics = await (await fetch(`${sut.opsUrl}/metrics`)).text();
    const series = (name: string, labels: Record<string, string>, value: number) => {
      const has = Object.entries(labels).map(([k, v]) => `(?=[^}]*${k}="${v.replaceAll('.', '\\.')}")`);
      return new RegExp(`^${name}\\{${has.join('')}[^}]*\\} ${value}$`, 'm');
    };
    expect(metrics).toMatch(
      series('bus_events_published_total', { type: 'transcode.failed.v1', service: 'ingest' }, 1),
    );
    expect(metrics).toMatch(series('bus_events_published_total', { type: 'ingest.upload.completed.v1' }, 1));
    const delivery = { consumer: 'transcoder', type: 'ingest.upload.completed.v1' };
    expect(metrics).toMatch(series('bus_events_consumed_total', { ...delivery, outcome: 'acked' }, 1));
    expect(metrics).toMatch(series('bus_handler_duration_seconds_count', delivery, 1));
    const answer = { operation: 'catalog.get-track', outcome: 'not_found' };
    expect(metrics).toMatch(series('bus_rpc_duration_seconds_count', answer, 1));
    const lag = { consumer: 'transcoder', stream: '[A-Z0-9_]+_INGEST' };
    expect(metrics).toMatch(series('bus_consumer_pending_messages', lag, 0));
    expect(metrics).toMatch(series('bus_consumer_ack_pending_messages', lag, 0));
  });

  it("answers another connection's first request once listening resolves", async () => {
    const [sut, caller] = await Promise.all([start(), start()]);
    sut.serve(getTrackRpc, async () => {
      throw new RpcError('not_found', 'no such track');
    });
    await sut.listening();
    await expect(callRpc(caller.bus, getTrackRpc, { id: randomUUID() })).rejects.toThrow('no such track');
  });
});
