import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  consume,
  DeadLetterNotFoundError,
  dropDeadLetter,
  getDeadLetter,
  listDeadLetters,
  PermanentError,
  provisionTopology,
  retryDeadLetter,
  type Bus,
} from '../src/index.ts';
import {
  connectTestBus,
  deadLetters,
  removeNamespace,
  storedMessages,
  uploadCompletedData,
} from './bus-test-helper.ts';

const WAIT = { timeout: 15_000, interval: 50 };

describe('dead-letter operations', () => {
  const cleanups: (() => Promise<void>)[] = [];

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function provisionedBus(): Promise<Bus> {
    const bus = await connectTestBus('dlq');
    cleanups.push(() => removeNamespace(bus));
    await provisionTopology(bus);
    return bus;
  }

  function failingConsumer(bus: Bus) {
    const state = { broken: true, handled: [] as string[], failed: [] as string[] };
    const handle = consume(bus, 'transcoder', async (event) => {
      if (state.broken) {
        state.failed.push(event.id);
        throw new PermanentError('the source object is not an audio file');
      }
      state.handled.push(event.id);
    });
    cleanups.push(() => handle.stop());
    return state;
  }

  it('retries a dead letter: the consumer gets the same event again and the dead letter is gone', async () => {
    const bus = await provisionedBus();
    const consumer = failingConsumer(bus);
    const { event } = await bus.publish('ingest.upload.completed.v1', { data: uploadCompletedData() });
    await vi.waitFor(async () => expect(await listDeadLetters(bus)).toHaveLength(1), WAIT);
    const [summary] = await listDeadLetters(bus);
    expect(summary).toMatchObject({
      consumer: 'transcoder',
      stream: bus.topology.stream('ingest').name,
      subject: bus.topology.subjectOf('ingest.upload.completed.v1'),
      reason: 'permanent-failure',
      error: 'the source object is not an audio file',
      originalEventId: event.id,
      deliveries: 1,
    });
    const letter = await getDeadLetter(bus, summary!.seq);
    expect(JSON.parse(letter.event.data.original.payload)).toEqual(event);

    consumer.broken = false;
    const sut = await retryDeadLetter(bus, summary!.seq);

    await vi.waitFor(() => expect(consumer.handled).toEqual([event.id]), WAIT);
    expect(sut.stream).toBe(bus.topology.stream('ingest').name);
    expect(await listDeadLetters(bus)).toEqual([]);
    const ops = await storedMessages(bus, 'ops');
    expect(ops).toHaveLength(0);
    const republished = (await storedMessages(bus, 'ingest')).find((m) => m.seq === sut.seq)!;
    expect(republished.json()).toEqual(event);
    expect(republished.header?.get('Nats-Msg-Id')).toBe(`${event.id}:retry:${summary!.seq}`);
    expect(republished.header?.get('tonearm-correlation-id')).toBe(event.correlationId);
  });

  it('lists newest first, filters by consumer and honours the limit', async () => {
    const bus = await provisionedBus();
    failingConsumer(bus);
    const first = await bus.publish('ingest.upload.completed.v1', { data: uploadCompletedData() });
    await vi.waitFor(async () => expect(await deadLetters(bus)).toHaveLength(1), WAIT);
    const second = await bus.publish('ingest.upload.completed.v1', { data: uploadCompletedData() });
    await vi.waitFor(async () => expect(await deadLetters(bus)).toHaveLength(2), WAIT);

    const sut = await listDeadLetters(bus);

    expect(sut.map((l) => l.originalEventId)).toEqual([second.event.id, first.event.id]);
    expect(sut[0]!.seq).toBeGreaterThan(sut[1]!.seq);
    expect((await listDeadLetters(bus, { limit: 1 })).map((l) => l.originalEventId)).toEqual([second.event.id]);
    expect(await listDeadLetters(bus, { consumer: 'catalog-ingest' })).toEqual([]);
    await expect(listDeadLetters(bus, { limit: 0 })).rejects.toThrow(RangeError);
  });

  it('drops a dead letter without republishing it', async () => {
    const bus = await provisionedBus();
    const consumer = failingConsumer(bus);
    await bus.publish('ingest.upload.completed.v1', { data: uploadCompletedData() });
    await vi.waitFor(async () => expect(await listDeadLetters(bus)).toHaveLength(1), WAIT);
    const [letter] = await listDeadLetters(bus);
    const ingestBefore = (await storedMessages(bus, 'ingest')).length;

    await dropDeadLetter(bus, letter!.seq);

    expect(await listDeadLetters(bus)).toEqual([]);
    expect(await storedMessages(bus, 'ingest')).toHaveLength(ingestBefore);
    expect(consumer.failed).toHaveLength(1);
    await expect(dropDeadLetter(bus, letter!.seq)).rejects.toBeInstanceOf(DeadLetterNotFoundError);
  });

  it('refuses a sequence that holds no dead letter', async () => {
    const bus = await provisionedBus();
    const { seq: otherSeq } = await bus.js.publish(`${bus.topology.namespace}.ops.something.else.v1`, '{}');

    await expect(getDeadLetter(bus, 999)).rejects.toBeInstanceOf(DeadLetterNotFoundError);
    await expect(retryDeadLetter(bus, 999)).rejects.toThrow('no dead letter at sequence 999 of the ops stream');
    await expect(dropDeadLetter(bus, otherSeq)).rejects.toBeInstanceOf(DeadLetterNotFoundError);
    await expect(retryDeadLetter(bus, 0)).rejects.toBeInstanceOf(DeadLetterNotFoundError);
    await expect(getDeadLetter(bus, 1.5)).rejects.toBeInstanceOf(DeadLetterNotFoundError);
    expect(await storedMessages(bus, 'ops')).toHaveLength(1);
  });
});
