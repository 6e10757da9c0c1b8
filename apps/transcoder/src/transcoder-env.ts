import { availableParallelism } from 'node:os';
import { storageEnvShape } from '@tonearm/storage';
import { z } from 'zod';

/** Environment variables of the transcoder, besides the common ones of every service. */
export const transcoderEnvShape = {
  ...storageEnvShape,
  FFMPEG_PATH: z.string().min(1).default('/usr/bin/ffmpeg'),
  FFPROBE_PATH: z.string().min(1).default('/usr/bin/ffprobe'),
  /** Jobs this process runs at once; one per core by default (ffmpeg 5.1 encodes on one thread). */
  TRANSCODER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(availableParallelism()),
  /**
   * Most ffmpeg processes per job: 2 (the default) decodes once and spreads the ladder's encoders
   * over two processes, so a single track uses two cores, for a job that starts while this process
   * runs no other; 1 runs every job in one process (best for several one-job workers on a machine).
   */
  TRANSCODER_ENCODER_PROCESSES: z.coerce.number().int().min(1).max(2).default(2),
  /** Where jobs keep their temporary files. */
  TRANSCODER_WORK_DIR: z.string().min(1).optional(),
  /** Least time between two progress events of one job. */
  TRANSCODER_PROGRESS_INTERVAL_MS: z.coerce.number().int().min(100).max(600_000).default(5_000),
  /**
   * Overrides the `transcoder` consumer's ack wait from contracts (a deployment or test choice):
   * how soon a job of a worker that died is handed to another one.
   */
  TRANSCODER_ACK_WAIT_MS: z.coerce.number().int().min(1_000).max(3_600_000).optional(),
};
