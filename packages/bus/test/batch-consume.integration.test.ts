import { Registry } from 'prom-client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  consumeBatches,
  PermanentError,
  provisionTopology,
  TransientError,
  type BatchDelivery,
  type Bus,
  type ConsumeBatchesOptions,
  type ConsumerHandle,
  type ConsumerOverrides,
  type KnownEvent,
} from '../src/index.ts';
import { connectTestBus, deadLetters, removeNamespace, uploadCompletedData } from './bus-test-helper.ts';

const WAIT = { timeout: 20_000, interval: 50 };

describe(consumeBatches.name, () => {
  const cleanups: (() => Promise<void>)[] = [];

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function provisionedBus(consumerOverrides: ConsumerOverrides = {}, registry?: Registry): Promise<Bus> {
    const bus = await connectTestBus('batch', registry ? { registry } : {});
    cleanups.push(() => removeNamespace(bus));
    await provisionTopology(bus, { consumerOverrides });
    return bus;
  }

  async function publishUploads(bus: Bus, count: number): Promise<KnownEvent[]> {
    const events: KnownEvent[] = [];
    for (let i = 0; i < count; i++) {
      events.push((await bus.publish('ingest.upload.completed.v1', { data: uploadCompletedData() })).event);
    }
    return events;
  }

  /** Starts the batch consumer of the ingest stream, recording every batch handed to the handler. */
  function start(
    bus: Bus,
    handler: (deliveries: BatchDelivery[]) => Promise<void>,
    options: ConsumeBatchesOptions = {},
  ): { handle: ConsumerHandle; batches: BatchDelivery[][] } {
    const batches: BatchDelivery[][] = [];
    const handle = consumeBatches(
      bus,
      'catalog-ingest',
      async (deliveries) => {
        batches.push(deliveries);
        await handler(deliveries);
      },
      { maxWaitMs: 300, backoffMs: () => 100, ...options },
    );
    cleanups.push(() => handle.stop());
    return { handle, batches };
  }

  async function consumerInfo(bus: Bus) {
    const { streamName, durable } = bus.topology.consumer('catalog-ingest');
    return bus.jsm.consumers.info(streamName, durable);
  }

  async function allAcked(bus: Bus, count: number): Promise<void> {
    await vi.waitFor(async () => {
      const info = await consumerInfo(bus);
      expect(info.ack_floor.stream_seq).toBe(count);
      expect(info.num_ack_pending).toBe(0);
      expect(info.num_pending).toBe(0);
    }, WAIT);
  }

  it('hands many events at once, never more than maxBatch, and acks them all', async () => {
    const registry = new Registry();
    const bus = await provisionedBus({}, registry);
    const published = await publishUploads(bus, 30);
    const handled: string[] = [];
    const { batches } = start(bus, async (deliveries) => void handled.push(...deliveries.map((d) => d.event.id)), {
      maxBatch: 8,
    });

    await allAcked(bus, 30);
    expect(handled).toEqual(published.map((e) => e.id));
    expect(Math.max(...batches.map((b) => b.length))).toBe(8);
    expect(batches[0]![0]!.context).toMatchObject({ deliveryCount: 1, maxDeliver: 10, streamSequence: 1 });
    const consumed = await registry.getSingleMetric('bus_events_consumed_total')!.get();
    expect(consumed.values).toContainEqual(
      expect.objectContaining({
        value: 30,
        labels: { consumer: 'catalog-ingest', type: 'ingest.upload.completed.v1', outcome: 'acked' },
      }),
    );
  });

  it('dead-letters a malformed message and hands the rest of its batch on', async () => {
    const bus = await provisionedBus();
    const before = await publishUploads(bus, 3);
    await bus.js.publish(bus.topology.subjectOf('ingest.upload.completed.v1'), 'this is not json');
    const after = await publishUploads(bus, 3);
    const handled: string[] = [];
    const { batches } = start(bus, async (deliveries) => void handled.push(...deliveries.map((d) => d.event.id)));

    await allAcked(bus, 7);
    expect(handled).toEqual([...before, ...after].map((e) => e.id));
    expect(batches.some((b) => b.length > 1)).toBe(true);
    const letters = await deadLetters(bus);
    expect(letters.map((l) => l.data)).toEqual([
      expect.objectContaining({
        reason: 'malformed',
        streamSequence: 4,
        original: expect.objectContaining({ payload: 'this is not json' }),
      }),
    ]);
  });

  it('on a failed batch handles each event alone: the others are acked, the bad one dead-lettered', async () => {
    const bus = await provisionedBus();
    const published = await publishUploads(bus, 6);
    const poison = published[2]!;
    const succeeded: string[] = [];
    const { batches } = start(bus, async (deliveries) => {
      if (deliveries.some((d) => d.event.id === poison.id)) throw new PermanentError('cannot project this one');
      succeeded.push(...deliveries.map((d) => d.event.id));
    });

    await vi.waitFor(async () => expect(await deadLetters(bus)).toHaveLength(1), WAIT);
    await allAcked(bus, 6);
    expect(succeeded.sort()).toEqual(
      published
        .filter((e) => e !== poison)
        .map((e) => e.id)
        .sort(),
    );
    expect(batches.some((b) => b.length > 1 && b.some((d) => d.event.id === poison.id))).toBe(true);
    expect(batches.filter((b) => b.length === 1 && b[0]!.event.id === poison.id)).toHaveLength(1);
    const [letter] = await deadLetters(bus);
    expect(letter!.data).toMatchObject({
      reason: 'permanent-failure',
      error: 'cannot project this one',
      originalEventId: poison.id,
      deliveries: 1,
    });
  });

  it('retries an event that fails for now, later, until it succeeds', async () => {
    const bus = await provisionedBus();
    const published = await publishUploads(bus, 4);
    const flaky = published[1]!;
    const handled: { id: string; deliveryCount: number }[] = [];
    start(bus, async (deliveries) => {
      const first = deliveries.find((d) => d.event.id === flaky.id && d.context.deliveryCount === 1);
      if (first) throw new TransientError('database unreachable');
      handled.push(...deliveries.map((d) => ({ id: d.event.id, deliveryCount: d.context.deliveryCount })));
    });

    await vi.waitFor(() => expect(handled.map((h) => h.id).sort()).toEqual(published.map((e) => e.id).sort()), WAIT);
    await allAcked(bus, 4);
    expect(handled.find((h) => h.id === flaky.id)).toEqual({ id: flaky.id, deliveryCount: 2 });
    expect(handled.filter((h) => h.id !== flaky.id).every((h) => h.deliveryCount === 1)).toBe(true);
    expect(await deadLetters(bus)).toEqual([]);
  });

  it('hands an event stored twice in one batch to the handler once and acks both copies', async () => {
    const bus = await provisionedBus();
    const [event] = await publishUploads(bus, 1);
    // A copy the server's duplicate window cannot catch: the same event under another message id.
    await bus.js.publish(bus.topology.subjectOf(event!.type), JSON.stringify(event), { msgID: 'another-copy' });
    const [other] = await publishUploads(bus, 1);
    const handled: string[] = [];
    start(bus, async (deliveries) => void handled.push(...deliveries.map((d) => d.event.id)));

    await allAcked(bus, 3);
    expect(handled).toEqual([event!.id, other!.id]);
  });

  it('keeps a slow batch alive past the ack wait with heartbeats, and stops after it', async () => {
    const bus = await provisionedBus({ 'catalog-ingest': { ackWaitMs: 1000 } });
    await publishUploads(bus, 5);
    const counts: number[] = [];
    const { handle } = start(
      bus,
      async (deliveries) => {
        counts.push(...deliveries.map((d) => d.context.deliveryCount));
        await new Promise((resolve) => setTimeout(resolve, 2500));
      },
      { heartbeatMs: 200 },
    );

    await vi.waitFor(() => expect(handle.inFlight).toBeGreaterThan(0), WAIT);
    await allAcked(bus, 5);
    await handle.stop();
    expect(handle.inFlight).toBe(0);
    expect(counts).toEqual([1, 1, 1, 1, 1]);
    expect((await consumerInfo(bus)).num_redelivered).toBe(0);
  });
});
