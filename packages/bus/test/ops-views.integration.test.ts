import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  consume,
  EventFilterError,
  platformStatus,
  provisionTopology,
  readEvents,
  type Bus,
  type StreamedEvent,
} from '../src/index.ts';
import { connectTestBus, removeNamespace, uploadCompletedData } from './bus-test-helper.ts';

const WAIT = { timeout: 15_000, interval: 50 };

describe('operator views of the bus', () => {
  const cleanups: (() => Promise<void>)[] = [];

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function provisionedBus(): Promise<Bus> {
    const bus = await connectTestBus('opsview');
    cleanups.push(() => removeNamespace(bus));
    await provisionTopology(bus);
    return bus;
  }

  it('reads an event stored after the reading started', async () => {
    const bus = await provisionedBus();
    const stop = new AbortController();
    const seen: StreamedEvent[] = [];
    let ready!: () => void;
    const started = new Promise<void>((resolve) => (ready = resolve));
    const reading = (async () => {
      for await (const item of readEvents(bus, { subject: 'ingest.>', signal: stop.signal, onReady: ready })) {
        seen.push(item);
      }
    })();
    await started;

    const { event } = await bus.publish('ingest.upload.completed.v1', { data: uploadCompletedData() });

    await vi.waitFor(() => expect(seen.map((s) => s.event?.id)).toEqual([event.id]), WAIT);
    stop.abort();
    await reading;
    expect(seen[0]).toMatchObject({ stream: bus.topology.stream('ingest').name, seq: 1 });
    const { consumers } = (await platformStatus(bus)).streams.find((s) => s.key === 'ingest')!;
    expect(consumers.map((c) => c.name)).toEqual(['catalog-ingest', 'transcoder']);
  });

  it('reads past events since a time, oldest first across streams, filtered by subject', async () => {
    const bus = await provisionedBus();
    const first = await bus.publish('ingest.upload.completed.v1', { data: uploadCompletedData() });
    const second = await bus.publish('transcode.progressed.v1', {
      data: { trackId: first.event.data.trackId, percent: 50, processedMs: 1000, durationMs: 2000 },
    });

    const all: StreamedEvent[] = [];
    for await (const item of readEvents(bus, { since: new Date(Date.now() - 60_000), follow: false })) all.push(item);
    const transcodeOnly: StreamedEvent[] = [];
    for await (const item of readEvents(bus, { subject: 'transcode.>', since: new Date(0), follow: false })) {
      transcodeOnly.push(item);
    }
    const future: StreamedEvent[] = [];
    for await (const item of readEvents(bus, { since: new Date(Date.now() + 60_000), follow: false })) {
      future.push(item);
    }

    expect(all.map((s) => s.event?.id)).toEqual([first.event.id, second.event.id]);
    expect(transcodeOnly.map((s) => s.event?.type)).toEqual(['transcode.progressed.v1']);
    expect(future).toEqual([]);
  });

  it('refuses a subject that names no stream', async () => {
    const bus = await provisionedBus();
    const reading = readEvents(bus, { subject: 'nosuch.>' });

    await expect(reading.next()).rejects.toThrow(EventFilterError);
  });

  it('shows a consumer pending count rise and fall, and the instances on the bus', async () => {
    const bus = await provisionedBus();
    const transcoder = async () =>
      (await platformStatus(bus)).streams.flatMap((s) => s.consumers).find((c) => c.name === 'transcoder')!;
    expect(await transcoder()).toMatchObject({ durable: true, pending: 0, ackPending: 0, redelivered: 0 });

    await bus.publish('ingest.upload.completed.v1', { data: uploadCompletedData() });
    await bus.publish('ingest.upload.completed.v1', { data: uploadCompletedData() });
    expect(await transcoder()).toMatchObject({ pending: 2 });

    const handled: string[] = [];
    const handle = consume(bus, 'transcoder', async (event) => void handled.push(event.id));
    cleanups.push(() => handle.stop());
    await vi.waitFor(() => expect(handled).toHaveLength(2), WAIT);
    await vi.waitFor(async () => expect(await transcoder()).toMatchObject({ pending: 0, ackPending: 0 }), WAIT);
    const status = await platformStatus(bus);
    expect(status).toMatchObject({ namespace: bus.topology.namespace, deadLetters: 0, services: {} });
    expect(status.streams.map((s) => s.key)).toEqual(bus.topology.streams.map((s) => s.key));
  });
});
