import { objectKeys } from '@tonearm/contracts';
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ObjectStore } from './object-store.ts';
import { testS3 } from '@tonearm/testing';
import {
  MIN_PART_SIZE,
  MultipartRefusedError,
  MultipartUnsupportedError,
  PresignedMultipart,
} from './presigned-multipart.ts';
import { createS3Client } from './storage-config.ts';
import { startMotoS3, type MotoS3 } from './test-support/moto-s3-server.ts';

let s3: MotoS3;
let store: ObjectStore;
let sut: PresignedMultipart;

beforeAll(async () => {
  s3 = await startMotoS3();
  store = new ObjectStore({ client: createS3Client(s3.env), bucket: s3.env.S3_BUCKET, keyPrefix: 'install-a/' });
  sut = new PresignedMultipart({ store, urlTtlSeconds: 600 });
});

afterAll(async () => {
  store?.client.destroy();
  await s3?.stop();
});

async function putPart(url: string, body: Uint8Array): Promise<string> {
  const response = await fetch(url, { method: 'PUT', body });
  expect(response.status).toBe(200);
  return response.headers.get('etag')!;
}

describe('PresignedMultipart', () => {
  it('assembles parts PUT to presigned URLs into the object under the key prefix', async () => {
    const key = objectKeys.source(randomUUID());
    const first = randomBytes(MIN_PART_SIZE);
    const second = randomBytes(1000);
    const uploadId = await sut.start(key, 'audio/wav');
    const urls = await sut.presignParts(key, uploadId, [1, 2]);
    expect(urls.map((p) => p.partNumber)).toEqual([1, 2]);
    expect(urls[0]!.url).toContain(`/install-a/${key}`);

    const etag1 = await putPart(urls[0]!.url, first);
    expect(await sut.listParts(key, uploadId)).toEqual([{ partNumber: 1, etag: etag1, size: MIN_PART_SIZE }]);
    const etag2 = await putPart(urls[1]!.url, second);
    await sut.complete(key, uploadId, [
      { partNumber: 2, etag: etag2 },
      { partNumber: 1, etag: etag1 },
    ]);

    const stored = await store.readBytes(key);
    expect(Buffer.from(stored!).equals(Buffer.concat([first, second]))).toBe(true);
    expect(await sut.listOpen(key)).toEqual([]);
  });

  it('aborts an upload so neither it nor its parts remain, and aborting twice is fine', async () => {
    const key = objectKeys.source(randomUUID());
    const uploadId = await sut.start(key, 'audio/flac');
    const [part] = await sut.presignParts(key, uploadId, [1]);
    await putPart(part!.url, randomBytes(100));
    expect((await sut.listOpen(key)).map((u) => u.uploadId)).toEqual([uploadId]);

    expect(await sut.abort(key, uploadId)).toBe(true);
    expect(await sut.abort(key, uploadId)).toBe(true);

    expect(await sut.listOpen(key)).toEqual([]);
    expect(await sut.listParts(key, uploadId)).toBeUndefined();
    expect(await store.head(key)).toBeUndefined();
  });

  it('refuses to complete with a part S3 never received', async () => {
    const key = objectKeys.source(randomUUID());
    const uploadId = await sut.start(key, 'audio/flac');
    const [part] = await sut.presignParts(key, uploadId, [1]);
    const etag = await putPart(part!.url, randomBytes(100));

    const error = await sut
      .complete(key, uploadId, [
        { partNumber: 1, etag },
        { partNumber: 2, etag },
      ])
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(MultipartRefusedError);
    expect((error as MultipartRefusedError).code).toBe('InvalidPart');
    await sut.abort(key, uploadId);
  });
});

describe('PresignedMultipart on the local s3rver', () => {
  it('says ListParts and ListMultipartUploads are unsupported and that abort could not free the parts', async () => {
    const s3 = testS3('multipart');
    try {
      const local = new PresignedMultipart({
        store: new ObjectStore({ client: s3.client, bucket: s3.bucket, keyPrefix: s3.prefix }),
      });
      const key = objectKeys.source(randomUUID());
      const uploadId = await local.start(key, 'audio/flac');

      await expect(local.listParts(key, uploadId)).rejects.toBeInstanceOf(MultipartUnsupportedError);
      await expect(local.listOpen(key)).rejects.toBeInstanceOf(MultipartUnsupportedError);
      expect(await local.abort(key, uploadId)).toBe(false);
    } finally {
      await s3.cleanup();
    }
  });
});
