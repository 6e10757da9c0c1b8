import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startService } from '@tonearm/service-host';
import { createS3Client, ObjectStore } from '@tonearm/storage';
import packageJson from '../package.json' with { type: 'json' };
import { FfmpegAdapter } from './adapters/ffmpeg.adapter.ts';
import { FfprobeAdapter } from './adapters/ffprobe.adapter.ts';
import { consumeTranscodeJobs } from './consumers/transcode-job.consumer.ts';
import { removeStaleJobDirs } from './services/stale-job-dirs.ts';
import { createTranscodeMetrics } from './services/transcode-metrics.ts';
import { TranscodeService } from './services/transcode.service.ts';
import { transcoderEnvShape } from './transcoder-env.ts';

const service = await startService({
  name: 'transcoder',
  version: packageJson.version,
  description: 'HLS ladder, loudness and waveform peaks from uploaded sources',
  env: transcoderEnvShape,
  consumerOverrides: ({ TRANSCODER_ACK_WAIT_MS }) =>
    TRANSCODER_ACK_WAIT_MS === undefined ? {} : { transcoder: { ackWaitMs: TRANSCODER_ACK_WAIT_MS } },
});
const { env } = service;

const workDir = env.TRANSCODER_WORK_DIR ?? join(tmpdir(), 'tonearm-transcoder');
const stale = await removeStaleJobDirs(workDir, 24 * 3600_000);
if (stale.length > 0)
  service.logger.info({ removed: stale.length, workDir }, 'removed job directories of killed workers');

const client = createS3Client(env);
const transcoder = new TranscodeService({
  store: new ObjectStore({ client, bucket: env.S3_BUCKET, keyPrefix: env.S3_KEY_PREFIX }),
  bus: service.bus,
  ffprobe: new FfprobeAdapter({ ffprobePath: env.FFPROBE_PATH }),
  ffmpeg: new FfmpegAdapter({ ffmpegPath: env.FFMPEG_PATH }),
  settings: () => ({
    ladder: service.settings.get('transcode.ladder'),
    segmentSeconds: service.settings.get('transcode.segmentSeconds'),
  }),
  metrics: createTranscodeMetrics(service.metrics),
  workDir,
  progressIntervalMs: env.TRANSCODER_PROGRESS_INTERVAL_MS,
  encoderProcesses: env.TRANSCODER_ENCODER_PROCESSES,
});

const jobs = consumeTranscodeJobs(service.bus, transcoder, { concurrency: env.TRANSCODER_CONCURRENCY });
service.onShutdown(() => client.destroy());
service.onShutdown(() => jobs.stop());
service.logger.info(
  { concurrency: env.TRANSCODER_CONCURRENCY, ladder: service.settings.get('transcode.ladder') },
  'transcoder ready',
);
