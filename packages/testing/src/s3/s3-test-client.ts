import { DeleteObjectsCommand, ListObjectsCommand, type S3Client } from '@aws-sdk/client-s3';
import { createS3Client as createStorageClient } from '@tonearm/storage';
import { setTimeout as sleep } from 'node:timers/promises';
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
 * Deletes every object whose key starts with `prefix`, in rounds: each lists the first page
 * (up to 1000 keys) and deletes it, until a listing comes back empty; returns how many objects
 * it found. Listings are ListObjects (v1): s3rver cannot answer a truncated ListObjectsV2 page
 * under Node 24 (it encrypts the continuation token with DES, which OpenSSL 3 refuses:
 * InternalError past 1000 keys), and rounds from the start need no marker. A failed round,
 * up to `failuresAllowed` of them, is followed by another that finds what is left: s3rver
 * deletes the keys of one request concurrently, and two that empty the same directory race to
 * remove it (InternalError although the objects are gone); a listing walking the bucket while
 * another test's directory is removed can fail the same way.
 *
 * @example
 * await deleteObjectsWithPrefix(client, 'tonearm', 'sources/');
 */
export async function deleteObjectsWithPrefix(
  client: S3Client,
  bucket: string,
  prefix: string,
  failuresAllowed = 5,
): Promise<number> {
  const found = new Set<string>();
  let failures = 0;
  for (;;) {
    try {
      const page = await client.send(new ListObjectsCommand({ Bucket: bucket, Prefix: prefix }));
      const keys = (page.Contents ?? []).flatMap((object) => (object.Key ? [object.Key] : []));
      if (keys.length === 0) return found.size;
      for (const key of keys) found.add(key);
      await client.send(
        new DeleteObjectsCommand({
          Bucket: bucket,
          Delete: { Objects: keys.map((key) => ({ Key: key })), Quiet: true },
        }),
      );
    } catch (error) {
      if (++failures > failuresAllowed) throw error;
      await sleep(100 * failures);
    }
  }
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
