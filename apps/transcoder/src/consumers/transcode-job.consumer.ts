import { consume, type Bus, type ConsumerHandle } from '@tonearm/bus';
import type { TranscodeService } from '../services/transcode.service.ts';

/**
 * Feeds `ingest.upload.completed.v1` events from the shared `transcoder` work queue to the
 * service. A refused source ends in `transcode.failed.v1` and is acknowledged; transient
 * trouble is thrown, so the bus retries it with backoff and dead-letters it after the last try.
 *
 * @example
 * const handle = consumeTranscodeJobs(service.bus, transcoder, { concurrency: 2 });
 * service.onShutdown(() => handle.stop());
 */
export function consumeTranscodeJobs(
  bus: Bus,
  service: TranscodeService,
  options: { concurrency: number },
): ConsumerHandle {
  return consume(
    bus,
    'transcoder',
    async (event, { logger }) => {
      if (event.type !== 'ingest.upload.completed.v1') return;
      await service.transcode(event.data, logger);
    },
    { concurrency: options.concurrency },
  );
}
