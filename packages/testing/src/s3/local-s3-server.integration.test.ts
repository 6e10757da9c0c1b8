import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localS3Credentials, localS3Region, startLocalS3, type LocalS3 } from './local-s3-server.ts';
import { createS3Client } from './s3-test-client.ts';

const bucket = 'local-s3-test';

function clientFor(endpoint: string) {
  return createS3Client({ endpoint, region: localS3Region, bucket, ...localS3Credentials });
}

describe('startLocalS3', () => {
  let sut: LocalS3;
  let client: ReturnType<typeof clientFor>;

  beforeAll(async () => {
    sut = await startLocalS3({ buckets: [bucket] });
    client = clientFor(sut.endpoint);
  });

  afterAll(async () => {
    client?.destroy();
    await sut?.stop();
  });

  it('listens on loopback with a port of its own', () => {
    expect(sut.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(new URL(sut.endpoint).port).not.toBe('0');
  });

  it('stores an object and returns the exact byte range asked for', async () => {
    const body = randomBytes(4096);
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'ranged/object.bin', Body: body }));

    const ranged = await client.send(
      new GetObjectCommand({ Bucket: bucket, Key: 'ranged/object.bin', Range: 'bytes=100-1123' }),
    );

    expect(ranged.ContentRange).toBe('bytes 100-1123/4096');
    expect(Buffer.from(await ranged.Body!.transformToByteArray())).toEqual(body.subarray(100, 1124));
  });

  it('stores a streamed upload without chunk framing inside the object', async () => {
    const body = randomBytes(256 * 1024);

    await client.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: 'streamed/object.bin',
        Body: Readable.from([body]),
        ContentLength: body.length,
      }),
    );

    const stored = await client.send(new GetObjectCommand({ Bucket: bucket, Key: 'streamed/object.bin' }));
    expect(Buffer.from(await stored.Body!.transformToByteArray())).toEqual(body);
  });

  it('assembles a multipart upload from its parts in order', async () => {
    const parts = [randomBytes(5 * 1024 * 1024), randomBytes(1234)];
    const key = 'multipart/object.bin';
    const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key }));
    const uploaded = [];
    for (const [index, part] of parts.entries()) {
      const { ETag } = await client.send(
        new UploadPartCommand({ Bucket: bucket, Key: key, UploadId, PartNumber: index + 1, Body: part }),
      );
      uploaded.push({ ETag, PartNumber: index + 1 });
    }

    await client.send(
      new CompleteMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId, MultipartUpload: { Parts: uploaded } }),
    );

    const stored = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    expect(Buffer.from(await stored.Body!.transformToByteArray())).toEqual(Buffer.concat(parts));
  });

  it('lists only the objects under a prefix', async () => {
    for (const key of ['listed/a', 'listed/b', 'unlisted/c']) {
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: key }));
    }

    const listing = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'listed/' }));

    expect(listing.Contents?.map((object) => object.Key)).toEqual(['listed/a', 'listed/b']);
  });

  it('answers a browser preflight for a presigned PUT from any origin and exposes the ETag', async () => {
    const preflight = await fetch(`${sut.endpoint}/${bucket}/upload/part`, {
      method: 'OPTIONS',
      headers: {
        Origin: 'http://localhost:8080',
        'Access-Control-Request-Method': 'PUT',
        'Access-Control-Request-Headers': 'content-type',
      },
    });
    expect(preflight.status).toBe(200);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-methods')).toContain('PUT');

    const read = await fetch(`${sut.endpoint}/${bucket}/ranged/object.bin`, {
      headers: { Origin: 'http://localhost:8080' },
    });
    await read.body?.cancel();
    expect(read.headers.get('access-control-expose-headers')).toBe('ETag');
  });

  it('refuses a request signed with another key pair', async () => {
    const stranger = createS3Client({
      endpoint: sut.endpoint,
      region: localS3Region,
      bucket,
      accessKeyId: 'SOMEONE',
      secretAccessKey: 'ELSE',
    });

    await expect(stranger.send(new PutObjectCommand({ Bucket: bucket, Key: 'nope', Body: 'x' }))).rejects.toThrow();
    stranger.destroy();
  });
});

describe('startLocalS3 directories', () => {
  let parent: string;

  beforeAll(async () => {
    parent = await mkdtemp(join(tmpdir(), 'local-s3-dir-test-'));
  });

  afterAll(async () => {
    await rm(parent, { recursive: true, force: true });
  });

  it('keeps objects in a given directory across restarts', async () => {
    const directory = join(parent, 'kept');
    const first = await startLocalS3({ directory, buckets: [bucket] });
    const firstClient = clientFor(first.endpoint);
    await firstClient.send(new PutObjectCommand({ Bucket: bucket, Key: 'kept.txt', Body: 'still here' }));
    firstClient.destroy();
    await first.stop();

    const sut = await startLocalS3({ directory, buckets: [bucket] });
    const client = clientFor(sut.endpoint);
    const stored = await client.send(new GetObjectCommand({ Bucket: bucket, Key: 'kept.txt' }));
    const text = await stored.Body!.transformToString();
    client.destroy();
    await sut.stop();

    expect(text).toBe('still here');
    expect(existsSync(directory)).toBe(true);
  });

  it('fails to start on a port that is taken', async () => {
    const holder = await startLocalS3({});
    const port = Number(new URL(holder.endpoint).port);

    await expect(startLocalS3({ port })).rejects.toThrow(/EADDRINUSE/);
    await holder.stop();
  });
});
