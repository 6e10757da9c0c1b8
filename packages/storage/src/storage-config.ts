import { S3Client } from '@aws-sdk/client-s3';
import { urlVariable } from '@tonearm/runtime';
import { z } from 'zod';

/** Environment variables of every service that touches object storage. */
export const storageEnvShape = {
  S3_ENDPOINT: urlVariable(['http', 'https']).optional(),
  S3_REGION: z.string().min(1).default('us-east-1'),
  S3_BUCKET: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be a valid S3 bucket name')
    .default('tonearm'),
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  /** Keys of this install start with it; tests use one per test so they share a bucket. */
  S3_KEY_PREFIX: z
    .string()
    .regex(/^([\w.-]+\/)*$/, 'must be empty or end with /')
    .default(''),
};

/** The storage settings of a service, validated. */
export type StorageEnv = z.infer<z.ZodObject<typeof storageEnvShape>>;

/**
 * An S3 client that works against AWS, MinIO and s3rver alike: path-style URLs, and checksums
 * only where an operation requires them (s3rver stores a streamed PutObject with the default
 * checksum framing inside the object).
 *
 * @example
 * const client = createS3Client(loadEnv(storageEnvShape));
 */
export function createS3Client(env: StorageEnv): S3Client {
  return new S3Client({
    ...(env.S3_ENDPOINT ? { endpoint: env.S3_ENDPOINT, forcePathStyle: true } : {}),
    region: env.S3_REGION,
    ...(env.S3_ACCESS_KEY_ID && env.S3_SECRET_ACCESS_KEY
      ? { credentials: { accessKeyId: env.S3_ACCESS_KEY_ID, secretAccessKey: env.S3_SECRET_ACCESS_KEY } }
      : {}),
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}
