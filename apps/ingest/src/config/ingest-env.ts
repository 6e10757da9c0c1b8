import { urlVariable } from '@tonearm/runtime';
import { storageEnvShape } from '@tonearm/storage';
import { tmpdir } from 'node:os';
import { z } from 'zod';

const hours = 3600 * 1000;

/** Environment variables of ingest, on top of those every service reads. */
export const ingestEnvShape = {
  ...storageEnvShape,
  /** The S3 endpoint clients can reach, put in presigned URLs (default: `S3_ENDPOINT`). */
  S3_PUBLIC_ENDPOINT: urlVariable(['http', 'https']).optional(),
  INGEST_DATABASE_URL: urlVariable(['postgres', 'postgresql'], 'postgres://postgres@127.0.0.1:5432/tonearm_ingest'),
  FFPROBE_PATH: z.string().min(1).default('ffprobe'),
  /** Where an uploaded file is copied while it is hashed, probed and tagged. */
  INGEST_WORK_DIR: z.string().min(1).default(tmpdir()),
  /** Uploads checked at once by one instance; each is copied to the work directory while checked. */
  INGEST_CHECK_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  /** How long presigned part URLs stay valid. */
  UPLOAD_URL_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .max(604_800)
    .default(6 * 3600),
  /** An upload still open this long after it was created is aborted. */
  UPLOAD_STALE_AFTER_MS: z.coerce
    .number()
    .int()
    .min(1)
    .default(24 * hours),
  /** How often stale uploads are looked for, and interrupted checks resumed. */
  UPLOAD_SWEEP_INTERVAL_MS: z.coerce
    .number()
    .int()
    .min(100)
    .default(10 * 60 * 1000),
  /** A check that has not finished this long after it started (the instance died) is run again. */
  UPLOAD_CHECK_RETRY_AFTER_MS: z.coerce
    .number()
    .int()
    .min(1)
    .default(15 * 60 * 1000),
};

/** The validated environment of ingest (without the common variables). */
export type IngestEnv = z.infer<z.ZodObject<typeof ingestEnvShape>>;
