import { Counter, Histogram, type Registry } from 'prom-client';

/** How a transcoding job ended. */
export type JobOutcome = 'completed' | 'failed' | 'retried';

/** The transcoder's own metrics. */
export interface TranscodeMetrics {
  /** Seconds of audio transcoded per second of wall time, per job. */
  realtimeFactor: Histogram;
  /** Jobs by outcome: completed, failed for good (bad source), retried (transient trouble). */
  jobs: Counter<'outcome'>;
}

/** Registers the transcoder's metrics on the service's registry. */
export function createTranscodeMetrics(registry: Registry): TranscodeMetrics {
  return {
    realtimeFactor: new Histogram({
      name: 'transcode_realtime_factor',
      help: 'Seconds of audio transcoded per second of wall time (download, probe, ffmpeg pass, uploads)',
      buckets: [1, 2, 5, 10, 15, 20, 30, 50, 100, 200],
      registers: [registry],
    }),
    jobs: new Counter({
      name: 'transcode_jobs_total',
      help: 'Transcoding jobs by outcome',
      labelNames: ['outcome'],
      registers: [registry],
    }),
  };
}
