import { Empty, type Msg } from '@nats-io/nats-core';
import type { InstanceHealth, InstanceMetadata } from '@tonearm/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { announceService, listInstances, type Bus, type ServiceAnnouncement } from '../src/index.ts';
import { connectTestBus } from './bus-test-helper.ts';

const healthy: InstanceHealth = { status: 'ok', checks: { bus: { status: 'ok' } } };

describe('service discovery', () => {
  let bus: Bus;
  let otherBus: Bus;
  const announcements: ServiceAnnouncement[] = [];

  const metadata = (b: Bus): InstanceMetadata => ({
    namespace: b.topology.namespace,
    opsUrl: 'http://127.0.0.1:9103',
    startedAt: '2025-06-01T12:00:00.000Z',
  });

  async function announce(b: Bus, instanceId: string, health: () => Promise<InstanceHealth> = async () => healthy) {
    const announcement = await announceService(b, {
      name: 'transcoder',
      version: '0.1.0',
      description: 'HLS worker',
      instanceId,
      metadata: metadata(b),
      health,
    });
    announcements.push(announcement);
    return announcement;
  }

  beforeAll(async () => {
    bus = await connectTestBus('disc');
    otherBus = await connectTestBus('other');
  });

  afterAll(async () => {
    for (const a of announcements) await a.stop();
    await bus.close();
    await otherBus.close();
  });

  it('lists the instances of its own namespace only, and forgets a stopped one', async () => {
    const prefix = bus.topology.namespace.replace(/[^a-z0-9]/g, '');
    const first = await announce(bus, `${prefix}a`);
    await announce(bus, `${prefix}b`);
    await announce(otherBus, `${prefix}c`);

    const listed = await listInstances(bus, { name: 'transcoder' });
    await first.stop();
    const afterStop = await listInstances(bus);

    expect(listed.map((i) => i.id)).toEqual([`${prefix}a`, `${prefix}b`]);
    expect(listed[0]).toEqual({
      name: 'transcoder',
      id: `${prefix}a`,
      version: '0.1.0',
      description: 'HLS worker',
      metadata: metadata(bus),
      endpoints: [],
    });
    expect(afterStop.map((i) => i.id)).toEqual([`${prefix}b`]);
  });

  it('reports health on request, and a failing health check as failing', async () => {
    await announce(bus, 'sick1', async () => {
      throw new Error('database unreachable');
    });

    const listed = await listInstances(bus, { name: 'transcoder', withHealth: true });

    expect(listed.find((i) => i.id === 'sick1')?.health).toEqual({
      status: 'failing',
      checks: { health: { status: 'failing', detail: 'database unreachable' } },
    });
    expect(listed.filter((i) => i.id !== 'sick1').every((i) => i.health?.status === 'ok')).toBe(true);
  });

  it('answers PING, STATS and HEALTH for one instance with the protocol shapes', async () => {
    const announcement = await announce(bus, 'shapes1');
    announcement.addEndpoint('echo', `${bus.topology.namespace}.echo`, (msg: Msg) => {
      if (msg.string() === 'fail') throw new Error('cannot echo that');
      msg.respond(msg.data);
    });
    await bus.nc.flush();

    const echo = await bus.nc.request(`${bus.topology.namespace}.echo`, 'hello');
    const failure = await bus.nc.request(`${bus.topology.namespace}.echo`, 'fail');
    const ping = (await bus.nc.request('$SRV.PING.transcoder.shapes1', Empty)).json();
    const stats = (await bus.nc.request('$SRV.STATS.transcoder.shapes1', Empty)).json<Record<string, unknown>>();
    const health = (await bus.nc.request('$SRV.HEALTH.transcoder.shapes1', Empty)).json();

    expect(echo.string()).toBe('hello');
    expect(failure.headers?.get('Nats-Service-Error')).toBe('cannot echo that');
    expect(failure.headers?.get('Nats-Service-Error-Code')).toBe('500');
    expect(ping).toEqual({
      type: 'io.nats.micro.v1.ping_response',
      name: 'transcoder',
      id: 'shapes1',
      version: '0.1.0',
      metadata: metadata(bus),
    });
    expect(stats).toMatchObject({
      type: 'io.nats.micro.v1.stats_response',
      id: 'shapes1',
      endpoints: [
        {
          name: 'echo',
          subject: `${bus.topology.namespace}.echo`,
          queue_group: 'q',
          num_requests: 2,
          num_errors: 1,
          last_error: 'cannot echo that',
        },
      ],
    });
    expect(Date.parse(stats.started as string)).not.toBeNaN();
    expect(health).toEqual({
      type: 'io.tonearm.health_response',
      name: 'transcoder',
      id: 'shapes1',
      version: '0.1.0',
      health: healthy,
    });
  });

  it('finds nothing when no instance of a service is up', async () => {
    expect(await listInstances(bus, { name: 'identity', timeoutMs: 200 })).toEqual([]);
  });

  it('refuses an instance id that is not one subject token', async () => {
    await expect(announce(bus, 'a.b')).rejects.toThrow(/must match/);
  });
});
