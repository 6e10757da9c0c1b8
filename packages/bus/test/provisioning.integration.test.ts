import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provisionTopology, type Bus } from '../src/index.ts';
import { connectTestBus, removeNamespace } from './bus-test-helper.ts';

describe(provisionTopology.name, () => {
  let bus: Bus;

  beforeAll(async () => {
    bus = await connectTestBus('prov');
  });

  afterAll(() => removeNamespace(bus));

  it('creates every stream and durable consumer of the topology', async () => {
    await provisionTopology(bus);

    for (const stream of bus.topology.streams) {
      const info = await bus.jsm.streams.info(stream.name);
      expect(info.config).toMatchObject({ subjects: stream.subjects, retention: 'limits', storage: 'file' });
      expect(info.config.duplicate_window).toBe(120_000_000_000);
    }
    for (const consumer of bus.topology.consumers) {
      const info = await bus.jsm.consumers.info(consumer.streamName, consumer.durable);
      expect(info.config).toMatchObject({
        durable_name: consumer.durable,
        ack_policy: 'explicit',
        deliver_policy: 'all',
        ack_wait: consumer.ackWaitMs * 1_000_000,
        max_deliver: consumer.maxDeliver,
        max_ack_pending: consumer.maxAckPending,
        filter_subject: consumer.filterSubject,
      });
      expect(info.config.deliver_subject).toBeUndefined();
    }
  });

  it('changes nothing when run again', async () => {
    const snapshot = async () =>
      Promise.all([
        ...bus.topology.streams.map(async (s) => (await bus.jsm.streams.info(s.name)).config),
        ...bus.topology.consumers.map(async (c) => (await bus.jsm.consumers.info(c.streamName, c.durable)).config),
      ]);
    const before = await snapshot();

    await provisionTopology(bus);

    expect(await snapshot()).toEqual(before);
  });

  it('updates a consumer whose settings differ, keeping its position', async () => {
    const { streamName, durable } = bus.topology.consumer('transcoder');

    await provisionTopology(bus, { consumerOverrides: { transcoder: { maxDeliver: 3, ackWaitMs: 2000 } } });

    const info = await bus.jsm.consumers.info(streamName, durable);
    expect(info.config).toMatchObject({ max_deliver: 3, ack_wait: 2_000_000_000 });
  });

  it('puts back a stream setting changed by hand', async () => {
    const { name } = bus.topology.stream('ops');
    await bus.jsm.streams.update(name, { description: 'changed by hand' });

    await provisionTopology(bus);

    expect((await bus.jsm.streams.info(name)).config.description).toBe(bus.topology.stream('ops').description);
  });
});
