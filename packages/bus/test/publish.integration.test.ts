import { randomUUID } from 'node:crypto';
import { newTraceparent, parseTraceparent, runWithContext } from '@tonearm/runtime';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventValidationError, provisionTopology, type Bus } from '../src/index.ts';
import { connectTestBus, removeNamespace, storedMessages, uploadCompletedData } from './bus-test-helper.ts';

describe('publishing events', () => {
  let sut: Bus;
  const registry = new Registry();

  beforeAll(async () => {
    sut = await connectTestBus('pub', { registry });
    await provisionTopology(sut);
  });

  afterAll(() => removeNamespace(sut));

  it('stores an event published twice with one id once', async () => {
    const id = randomUUID();
    const data = uploadCompletedData();

    const first = await sut.publish('ingest.upload.completed.v1', { id, data });
    const second = await sut.publishEvent(first.event);

    expect(first.duplicate).toBe(false);
    expect(second).toEqual({ seq: first.seq, duplicate: true });
    const stored = (await storedMessages(sut, 'ingest')).filter((m) => m.json<{ id: string }>().id === id);
    expect(stored).toHaveLength(1);
    const metric = await registry.getSingleMetric('bus_events_published_total')!.get();
    expect(metric.values.find((v) => v.labels.type === 'ingest.upload.completed.v1')?.value).toBe(1);
  });

  it('puts the id, trace, correlation, causation and type in the headers', async () => {
    const parent = newTraceparent();
    const { event, seq } = await runWithContext(
      { correlationId: 'corr-h', causationId: 'cause-h', traceparent: parent },
      () => sut.publish('ingest.upload.completed.v1', { data: uploadCompletedData() }),
    );

    const stored = await sut.jsm.streams.getMessage(sut.topology.stream('ingest').name, { seq });
    expect(stored!.subject).toBe(`${sut.topology.namespace}.ingest.upload.completed.v1`);
    expect(stored!.header.get('Nats-Msg-Id')).toBe(event.id);
    expect(stored!.header.get('tonearm-correlation-id')).toBe('corr-h');
    expect(stored!.header.get('tonearm-causation-id')).toBe('cause-h');
    expect(stored!.header.get('tonearm-event-type')).toBe('ingest.upload.completed.v1');
    expect(parseTraceparent(stored!.header.get('traceparent'))?.traceId).toBe(parseTraceparent(parent)?.traceId);
    expect(stored!.json()).toEqual(event);
  });

  it('refuses an invalid event before sending it', async () => {
    const before = (await sut.jsm.streams.info(sut.topology.stream('ingest').name)).state.messages;
    const data = { ...uploadCompletedData(), ownerId: 'not-a-uuid' };

    const attempt = sut.publish('ingest.upload.completed.v1', { data });

    await expect(attempt).rejects.toThrow(EventValidationError);
    await expect(attempt).rejects.toThrow(/ingest\.upload\.completed\.v1.*ownerId/s);
    expect((await sut.jsm.streams.info(sut.topology.stream('ingest').name)).state.messages).toBe(before);
  });
});
