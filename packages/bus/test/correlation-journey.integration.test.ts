import { afterEach, describe, expect, it } from 'vitest';
import { correlationJourney, provisionTopology, type Bus } from '../src/index.ts';
import { connectTestBus, removeNamespace, uploadCompletedData } from './bus-test-helper.ts';

describe('correlation journey', () => {
  let bus: Bus | undefined;

  afterEach(async () => {
    if (bus) await removeNamespace(bus);
    bus = undefined;
  });

  it('answers the events of one correlation id across streams, oldest first, and nothing else', async () => {
    bus = await connectTestBus('journey');
    await provisionTopology(bus);
    const data = uploadCompletedData();
    const completed = await bus.publish('ingest.upload.completed.v1', { data, correlationId: 'upload-1' });
    await bus.publish('ingest.upload.completed.v1', { data: uploadCompletedData(), correlationId: 'upload-2' });
    const played = await bus.publish('playback.finished.v1', {
      data: { trackId: data.trackId, userId: data.ownerId, sessionId: 'session-1', positionMs: 1000 },
      correlationId: 'upload-1',
      causationId: completed.event.id,
    });

    const sut = await correlationJourney(bus, 'upload-1');

    expect(sut.truncated).toBe(false);
    expect(sut.events.map((e) => [e.id, e.type, e.stream])).toEqual([
      [completed.event.id, 'ingest.upload.completed.v1', bus.topology.stream('ingest').name],
      [played.event.id, 'playback.finished.v1', bus.topology.stream('playback').name],
    ]);
    expect(sut.events[1]).toMatchObject({ causationId: completed.event.id, seq: played.seq });
    expect((await correlationJourney(bus, 'upload-1', { limit: 1 })).truncated).toBe(true);
    expect((await correlationJourney(bus, 'nobody')).events).toEqual([]);
    await expect(correlationJourney(bus, 'upload-1', { limit: 0 })).rejects.toThrow(RangeError);
  });
});
