import { Writable } from 'node:stream';
import { createLogger } from '@tonearm/runtime';
import { serviceUrls, isolatedNamespace } from '@tonearm/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { connectBus, consume, PermanentError, provisionTopology, TransientError, type Bus } from '../src/index.ts';
import { removeNamespace, uploadCompletedData } from './bus-test-helper.ts';

interface LogLine {
  msg: string;
  correlationId?: string;
  eventId?: string;
}

describe('log lines of a consumed event', () => {
  const cleanups: (() => Promise<void>)[] = [];

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it("carry the event's correlation id: the handler's, the retry's and the dead letter's", async () => {
    const lines: LogLine[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as LogLine);
        done();
      },
    });
    const logger = createLogger({ service: 'transcoder', instanceId: 'test', level: 'info', destination });
    const namespace = isolatedNamespace('logcorr');
    const bus: Bus = await connectBus({ url: serviceUrls().natsUrl, namespace, name: `test:${namespace}`, logger });
    cleanups.push(() => removeNamespace(bus));
    await provisionTopology(bus);
    const handle = consume(
      bus,
      'transcoder',
      async (event, { deliveryCount, logger: eventLogger }) => {
        eventLogger.info('transcoding');
        if (deliveryCount === 1) throw new TransientError('S3 is unreachable');
        throw new PermanentError('not an audio file');
      },
      { backoffMs: () => 10 },
    );
    cleanups.push(() => handle.stop());

    const { event } = await bus.publish('ingest.upload.completed.v1', {
      data: uploadCompletedData(),
      correlationId: 'upload-corr-1',
    });

    await vi.waitFor(() => expect(lines.map((l) => l.msg)).toContain('handler failed for good, dead-lettering'), {
      timeout: 15_000,
      interval: 50,
    });
    const caused = lines.filter((l) => l.eventId === event.id);
    expect(caused.map((l) => l.msg)).toEqual([
      'transcoding',
      'handler failed, retrying later',
      'transcoding',
      'handler failed for good, dead-lettering',
    ]);
    expect(caused.map((l) => l.correlationId)).toEqual(Array(4).fill('upload-corr-1'));
  });
});
