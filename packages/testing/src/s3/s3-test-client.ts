import { DeleteObjectsCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { createS3Client as createStorageClient } from '@tonearm/storage';
import { isolatedName } from '../isolated-names.ts';
import { localS3Credentials, localS3Region } from './local-s3-server.ts';

/** Where an S3-compatible server is and how to sign for it, as the `S3_*` variables say. */
export interface S3Settings {
  endpoint: string;
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
}

/** The bucket tests write to when `S3_BUCKET` is not set. */
export const defaultTestBucket = 'tonearm-test';

/**
 * Reads the `S3_*` variables. The integration global setup sets them (starting a local server
 * when `S3_ENDPOINT` is unset), so inside a test run this always answers.
 *
 * @example
 * const { endpoint, bucket } = s3Settings();
 */
export function s3Settings(env: NodeJS.ProcessEnv = process.env): S3Settings {
  const endpoint = env.S3_ENDPOINT;
  if (!endpoint) {
    throw new Error(
      'S3_ENDPOINT is not set: run integration tests through vitest (its global setup starts an S3 server)',
    );
  }
  return {
    endpoint,
    region: env.S3_REGION ?? localS3Region,
    bucket: env.S3_BUCKET ?? defaultTestBucket,
    accessKeyId: env.S3_ACCESS_KEY_ID ?? localS3Credentials.accessKeyId,
    secretAccessKey: env.S3_SECRET_ACCESS_KEY ?? localS3Credentials.secretAccessKey,
  };
}

/**
 * The platform's S3 client (`createS3Client` of `@tonearm/storage`) for these settings.
 *
 * @example
 * const client = createS3Client(s3Settings());
 */
export function createS3Client(settings: S3Settings): S3Client {
  return createStorageClient({
    S3_ENDPOINT: settings.endpoint,
    S3_REGION: settings.region,
    S3_BUCKET: settings.bucket,
    S3_ACCESS_KEY_ID: settings.accessKeyId,
    S3_SECRET_ACCESS_KEY: settings.secretAccessKey,
    S3_KEY_PREFIX: '',
  });
}

/** One test's corner of the test bucket. */
export interface TestS3 extends AsyncDisposable {
  client: S3Client;
  settings: S3Settings;
  bucket: string;
  /** Unique to this call and ending in `/`; every key of the test should start with it. */
  prefix: string;
  /** `prefix + name`. */
  key(name: string): string;
  /** Deletes every object under the prefix and closes the client. */
  cleanup(): Promise<void>;
}

/**
 * Deletes every object whose key starts with `prefix`, a page of 1000 at a time.
 *
 * @example
 * await deleteObjectsWithPrefix(client, 'tonearm', 'sources/');
 */
export async function deleteObjectsWithPrefix(client: S3Client, bucket: string, prefix: string): Promise<number> {
  let deleted = 0;
  let continuationToken: string | undefined;
  do {
    const page = await client.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: continuationToken }),
    );
    const keys = (page.Contents ?? []).flatMap((object) => (object.Key ? [{ Key: object.Key }] : []));
    if (keys.length > 0) {
      await client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys, Quiet: true } }));
      deleted += keys.length;
    }
    continuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (continuationToken);
  return deleted;
}

/**
 * An S3 client on the test bucket with a key prefix of its own, so tests running in parallel
 * never see each other's objects.
 *
 * @example
 * const s3 = testS3();
 * afterAll(() => s3.cleanup());
 * await s3.client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: s3.key('a.flac'), Body: bytes }));
 */
export function testS3(label = 's3'): TestS3 {
  const settings = s3Settings();
  const client = createS3Client(settings);
  const prefix = `${isolatedName(label)}/`;
  let cleaned: Promise<void> | undefined;
  const cleanup = () => {
    cleaned ??= deleteObjectsWithPrefix(client, settings.bucket, prefix).then(
      () => client.destroy(),
      (error: unknown) => {
        client.destroy();
        throw error;
      },
    );
    return cleaned;
  };
  return {
    client,
    settings,
    bucket: settings.bucket,
    prefix,
    key: (name) => `${prefix}${name}`,
    cleanup,
    [Symbol.asyncDispose]: cleanup,
  };
}
