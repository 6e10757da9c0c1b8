import { currentContext } from '@tonearm/runtime';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  consume,
  exponentialBackoff,
  PermanentError,
  provisionTopology,
  TransientError,
  type Bus,
  type ConsumerHandle,
  type ConsumerOverrides,
  type DeliveryContext,
  type KnownEvent,
} from '../src/index.ts';
import { connectTestBus, deadLetters, removeNamespace, uploadCompletedData } from './bus-test-helper.ts';

const WAIT = { timeout: 15_000, interval: 50 };

describe(consume.name, () => {
  const cleanups: (() => Promise<void>)[] = [];

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function provisionedBus(consumerOverrides: ConsumerOverrides = {}, registry?: Registry): Promise<Bus> {
    const bus = await connectTestBus('cons', registry ? { registry } : {});
    cleanups.push(() => removeNamespace(bus));
    await provisionTopology(bus, { consumerOverrides });
    return bus;
  }

  function track(handle: ConsumerHandle): ConsumerHandle {
    cleanups.push(() => handle.stop());
    return handle;
  }

  async function transcoderInfo(bus: Bus) {
    const { streamName, durable } = bus.topology.consumer('transcoder');
    return bus.jsm.consumers.info(streamName, durable);
  }

  it('acks a handled event, running the handler in the event context', async () => {
    const registry = new Registry();
    const bus = await provisionedBus({}, registry);
    const seen: { event: KnownEvent; context: DeliveryContext; correlationId?: string; causationId?: string }[] = [];
    track(
      consume(bus, 'transcoder', async (event, context) => {
        const ctx = currentContext();
        seen.push({ event, context, correlationId: ctx?.correlationId, causationId: ctx?.causationId });
      }),
    );

    const { event, seq } = await bus.publish('ingest.upload.completed.v1', {
      data: uploadCompletedData(),
      correlationId: 'corr-ok',
    });

    await vi.waitFor(() => expect(seen).toHaveLength(1), WAIT);
    expect(seen[0]!.event).toEqual(event);
    expect(seen[0]).toMatchObject({ correlationId: 'corr-ok', causationId: event.id });
    expect(seen[0]!.context).toMatchObject({ deliveryCount: 1, maxDeliver: 5, streamSequence: seq });
    await vi.waitFor(async () => expect((await transcoderInfo(bus)).num_ack_pending).toBe(0), WAIT);
    expect((await transcoderInfo(bus)).num_pending).toBe(0);
    const consumed = await registry.getSingleMetric('bus_events_consumed_total')!.get();
    expect(consumed.values).toContainEqual(
      expect.objectContaining({ value: 1, labels: { consumer: 'transcoder', type: event.type, outcome: 'acked' } }),
    );
  });

  it('redelivers after a transient failure, later each time, then dead-letters it', async () => {
    const bus = await provisionedBus({ transcoder: { maxDeliver: 4, ackWaitMs: 5000 } });
    const deliveries: { at: number; count: number }[] = [];
    const backoffMs = exponentialBackoff({ initialMs: 200 });
    track(
      consume(
        bus,
        'transcoder',
        async (_event, context) => {
          deliveries.push({ at: performance.now(), count: context.deliveryCount });
          throw new TransientError(`storage unreachable (attempt ${context.deliveryCount})`);
        },
        { backoffMs },
      ),
    );

    const { event, seq } = await bus.publish('ingest.upload.completed.v1', { data: uploadCompletedData() });

    await vi.waitFor(async () => expect(await deadLetters(bus)).toHaveLength(1), WAIT);
    expect(deliveries.map((d) => d.count)).toEqual([1, 2, 3, 4]);
    const gaps = deliveries.slice(1).map((d, i) => d.at - deliveries[i]!.at);
    gaps.forEach((gap, i) => expect(gap).toBeGreaterThanOrEqual(backoffMs(i + 1) * 0.9));
    expect(gaps[1]!).toBeGreaterThan(gaps[0]!);
    expect(gaps[2]!).toBeGreaterThan(gaps[1]!);
    const [letter] = await deadLetters(bus);
    expect(letter!.causationId).toBe(event.id);
    expect(letter!.correlationId).toBe(event.correlationId);
    expect(letter!.data).toMatchObject({
      stream: bus.topology.stream('ingest').name,
      consumer: 'transcoder',
      subject: bus.topology.subjectOf('ingest.upload.completed.v1'),
      streamSequence: seq,
      deliveries: 4,
      reason: 'max-deliveries',
      error: 'storage unreachable (attempt 4)',
      originalEventId: event.id,
      original: { encoding: 'utf8' },
    });
    expect(JSON.parse(letter!.data.original.payload)).toEqual(event);
    expect(letter!.data.original.headers['Nats-Msg-Id']).toEqual([event.id]);
    const info = await transcoderInfo(bus);
    expect(info.num_ack_pending).toBe(0);
    expect(info.num_pending).toBe(0);
  });

  it('dead-letters at once what fails for good', async () => {
    const bus = await provisionedBus();
    let calls = 0;
    track(
      consume(bus, 'transcoder', async () => {
        calls++;
        throw new PermanentError('the source object is not an audio file');
      }),
    );

    const { event } = await bus.publish('ingest.upload.completed.v1', { data: uploadCompletedData() });

    await vi.waitFor(async () => expect(await deadLetters(bus)).toHaveLength(1), WAIT);
    const [letter] = await deadLetters(bus);
    expect(letter!.data).toMatchObject({
      reason: 'permanent-failure',
      error: 'the source object is not an audio file',
      deliveries: 1,
      originalEventId: event.id,
    });
    expect(calls).toBe(1);
    await vi.waitFor(async () => expect((await transcoderInfo(bus)).num_ack_pending).toBe(0), WAIT);
  });

  it('dead-letters malformed messages and keeps consuming', async () => {
    const bus = await provisionedBus();
    const handled: string[] = [];
    track(
      consume(bus, 'transcoder', async (event) => {
        handled.push(event.id);
      }),
    );
    const subject = bus.topology.subjectOf('ingest.upload.completed.v1');
    const badData = { id: crypto.randomUUID(), type: 'ingest.upload.completed.v1', version: 1 };
    const invalid = {
      ...badData,
      occurredAt: new Date().toISOString(),
      correlationId: 'corr-bad',
      data: { ...uploadCompletedData(), trackId: 'not-a-uuid' },
    };

    await bus.js.publish(subject, new Uint8Array([0xff, 0x00, 0x7b]));
    await bus.js.publish(subject, 'this is not json');
    await bus.js.publish(subject, JSON.stringify(invalid));
    const { event } = await bus.publish('ingest.upload.completed.v1', { data: uploadCompletedData() });

    await vi.waitFor(() => expect(handled).toEqual([event.id]), WAIT);
    await vi.waitFor(async () => expect(await deadLetters(bus)).toHaveLength(3), WAIT);
    const letters = (await deadLetters(bus)).map((l) => l.data);
    expect(letters.every((l) => l.reason === 'malformed')).toBe(true);
    expect(letters[0]).toMatchObject({ error: expect.stringMatching(/^not JSON/), originalEventId: null });
    expect(letters[0]!.original).toMatchObject({
      encoding: 'base64',
      payload: Buffer.from([0xff, 0x00, 0x7b]).toString('base64'),
    });
    expect(letters[1]).toMatchObject({
      error: expect.stringMatching(/^not JSON/),
      original: { encoding: 'utf8', payload: 'this is not json' },
    });
    expect(letters[2]).toMatchObject({
      error: expect.stringMatching(/^invalid ingest\.upload\.completed\.v1: .*trackId/s),
      originalEventId: invalid.id,
    });
    expect(JSON.parse(letters[2]!.original.payload)).toEqual(invalid);
    await vi.waitFor(async () => expect((await transcoderInfo(bus)).num_ack_pending).toBe(0), WAIT);
  });

  it('retries a handler that throws an unexpected error, and acks once it succeeds', async () => {
    const bus = await provisionedBus();
    const counts: number[] = [];
    track(
      consume(
        bus,
        'transcoder',
        async (_event, context) => {
          counts.push(context.deliveryCount);
          if (context.deliveryCount === 1) throw new Error('unexpected');
        },
        { backoffMs: () => 50 },
      ),
    );

    await bus.publish('ingest.upload.completed.v1', { data: uploadCompletedData() });

    await vi.waitFor(async () => expect((await transcoderInfo(bus)).ack_floor.stream_seq).toBe(1), WAIT);
    expect(counts).toEqual([1, 2]);
    expect(await deadLetters(bus)).toEqual([]);
  });

  it('keeps the message when its dead letter cannot be published', async () => {
    const bus = await provisionedBus();
    await bus.jsm.streams.delete(bus.topology.stream('ops').name);
    const counts: number[] = [];
    track(
      consume(
        bus,
        'transcoder',
        async (_event, context) => {
          counts.push(context.deliveryCount);
          throw new PermanentError('not audio');
        },
        { backoffMs: () => 50 },
      ),
    );

    const { event } = await bus.publish('ingest.upload.completed.v1', { data: uploadCompletedData() });
    await vi.waitFor(() => expect(counts.length).toBeGreaterThanOrEqual(2), WAIT);
    await provisionTopology(bus);

    await vi.waitFor(async () => expect(await deadLetters(bus)).toHaveLength(1), WAIT);
    const [letter] = await deadLetters(bus);
    expect(letter!.data).toMatchObject({ reason: 'permanent-failure', originalEventId: event.id });
    expect(letter!.data.deliveries).toBeGreaterThanOrEqual(2);
  });

  it('waits for its consumer to be provisioned', async () => {
    const bus = await connectTestBus('cons');
    cleanups.push(() => removeNamespace(bus));
    const handled: string[] = [];
    track(
      consume(bus, 'transcoder', async (event) => {
        handled.push(event.id);
      }),
    );

    await provisionTopology(bus);
    const { event } = await bus.publish('ingest.upload.completed.v1', { data: uploadCompletedData() });

    await vi.waitFor(() => expect(handled).toEqual([event.id]), WAIT);
  });

  it('keeps a slow handler alive past the ack wait with heartbeats', async () => {
    const bus = await provisionedBus({ transcoder: { ackWaitMs: 1000 } });
    const deliveries: number[] = [];
    track(
      consume(
        bus,
        'transcoder',
        async (_event, context) => {
          deliveries.push(context.deliveryCount);
          await new Promise((resolve) => setTimeout(resolve, 2500));
        },
        { concurrency: 2 },
      ),
    );

    await bus.publish('ingest.upload.completed.v1', { data: uploadCompletedData() });

    await vi.waitFor(async () => expect((await transcoderInfo(bus)).ack_floor.stream_seq).toBe(1), WAIT);
    const info = await transcoderInfo(bus);
    expect(deliveries).toEqual([1]);
    expect(info.num_redelivered).toBe(0);
  });

  it('runs up to `concurrency` handlers at once and stops after they finish', async () => {
    const bus = await provisionedBus();
    let running = 0;
    let peak = 0;
    const done: string[] = [];
    const handle = consume(
      bus,
      'transcoder',
      async (event) => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((resolve) => setTimeout(resolve, 300));
        running--;
        done.push(event.id);
      },
      { concurrency: 3 },
    );
    track(handle);

    for (let i = 0; i < 6; i++) await bus.publish('ingest.upload.completed.v1', { data: uploadCompletedData() });
    await vi.waitFor(() => expect(handle.inFlight).toBe(3), WAIT);
    await handle.stop();

    expect(handle.inFlight).toBe(0);
    expect(running).toBe(0);
    expect(peak).toBeLessThanOrEqual(3);
    const info = await transcoderInfo(bus);
    expect(info.num_ack_pending).toBe(0);
    expect(info.num_pending + done.length).toBe(6);
  });
});
