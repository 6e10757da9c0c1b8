import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, inject, it } from 'vitest';
import { deleteObjectsWithPrefix, s3Settings, testS3 } from './s3-test-client.ts';

describe('testS3', () => {
  it('reads the S3 server of the run from the environment the global setup filled', () => {
    expect(s3Settings()).toEqual(inject('s3'));
  });

  it('gives each call its own key prefix in the test bucket', async () => {
    const first = testS3('own');
    const second = testS3('own');
    try {
      expect(first.prefix).toMatch(/^own_[0-9a-f]{10}\/$/);
      expect(first.prefix).not.toBe(second.prefix);
      expect(first.key('a.flac')).toBe(`${first.prefix}a.flac`);
    } finally {
      await Promise.all([first.cleanup(), second.cleanup()]);
    }
  });

  it('deletes its own objects on cleanup and leaves the others', async () => {
    const sut = testS3();
    const neighbour = testS3();
    await sut.client.send(new PutObjectCommand({ Bucket: sut.bucket, Key: sut.key('one'), Body: '1' }));
    await sut.client.send(new PutObjectCommand({ Bucket: sut.bucket, Key: sut.key('nested/two'), Body: '2' }));
    await neighbour.client.send(
      new PutObjectCommand({ Bucket: neighbour.bucket, Key: neighbour.key('kept'), Body: 'k' }),
    );

    await sut.cleanup();

    const left = await neighbour.client.send(new ListObjectsV2Command({ Bucket: sut.bucket, Prefix: sut.prefix }));
    expect(left.KeyCount).toBe(0);
    const kept = await neighbour.client.send(
      new GetObjectCommand({ Bucket: neighbour.bucket, Key: neighbour.key('kept') }),
    );
    expect(await kept.Body!.transformToString()).toBe('k');
    await neighbour.cleanup();
  });

  it('deletes more objects than one listing page holds', async () => {
    const sut = testS3('many');
    // Two directories, so one delete request empties both and its keys race to remove them on s3rver.
    const keys = Array.from({ length: 1050 }, (_, i) => sut.key(`d${i % 2}/${String(i).padStart(5, '0')}`));
    try {
      for (let i = 0; i < keys.length; i += 16) {
        await Promise.all(
          keys
            .slice(i, i + 16)
            .map((key) => sut.client.send(new PutObjectCommand({ Bucket: sut.bucket, Key: key, Body: 'x' }))),
        );
      }

      expect(await deleteObjectsWithPrefix(sut.client, sut.bucket, sut.prefix)).toBe(keys.length);

      const left = await sut.client.send(new ListObjectsV2Command({ Bucket: sut.bucket, Prefix: sut.prefix }));
      expect(left.KeyCount).toBe(0);
    } finally {
      await sut.cleanup();
    }
  });
});

describe('s3Settings', () => {
  it('refuses to guess an endpoint when S3_ENDPOINT is missing', () => {
    expect(() => s3Settings({})).toThrow(/S3_ENDPOINT is not set/);
  });

  it('falls back to the local server credentials and region', () => {
    expect(s3Settings({ S3_ENDPOINT: 'http://127.0.0.1:1' })).toEqual({
      endpoint: 'http://127.0.0.1:1',
      region: 'us-east-1',
      bucket: 'tonearm-test',
      accessKeyId: 'S3RVER',
      secretAccessKey: 'S3RVER',
    });
  });
});
