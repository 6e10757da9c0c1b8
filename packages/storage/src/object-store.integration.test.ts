import { loadEnv } from '@tonearm/runtime';
import { isolatedName } from '@tonearm/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { ObjectStore } from './object-store.ts';
import { createS3Client, storageEnvShape } from './storage-config.ts';

const env = loadEnv(storageEnvShape);
const sut = new ObjectStore({
  client: createS3Client(env),
  bucket: env.S3_BUCKET,
  keyPrefix: `${isolatedName('store')}/`,
});

afterAll(async () => {
  await sut.deletePrefix('');
  sut.client.destroy();
});

describe('ObjectStore', () => {
  it('writes, reads, ranges, lists and deletes under its key prefix', async () => {
    await sut.put('hls/t1/a.m4s', new Uint8Array([1, 2, 3, 4, 5]), 'video/iso.segment');
    await sut.put('hls/t1/master.m3u8', '#EXTM3U\n', 'application/vnd.apple.mpegurl');
    await sut.put('hls/t2/master.m3u8', '#EXTM3U\n', 'application/vnd.apple.mpegurl');

    expect(await sut.head('hls/t1/a.m4s')).toMatchObject({ size: 5, contentType: 'video/iso.segment' });
    expect(Buffer.from((await sut.readBytes('hls/t1/master.m3u8'))!).toString()).toBe('#EXTM3U\n');
    const range = await sut.read('hls/t1/a.m4s', 'bytes=1-2');
    const chunks: Buffer[] = [];
    for await (const chunk of range!.body) chunks.push(chunk as Buffer);
    expect([...Buffer.concat(chunks)]).toEqual([2, 3]);

    expect((await sut.list('hls/t1/')).sort()).toEqual(['hls/t1/a.m4s', 'hls/t1/master.m3u8']);
    expect(await sut.deletePrefix('hls/t1/')).toBe(2);
    expect(await sut.list('hls/')).toEqual(['hls/t2/master.m3u8']);
  });

  it('lists and deletes past the 1000 keys of one listing page', async () => {
    // Rung directories like a track's HLS objects, so deleting empties several at once.
    const keys = Array.from({ length: 1050 }, (_, i) => `many/r${i % 5}/seg-${String(i).padStart(5, '0')}.m4s`);
    for (let i = 0; i < keys.length; i += 16) {
      await Promise.all(keys.slice(i, i + 16).map((key) => sut.put(key, 'x', 'video/iso.segment')));
    }

    const listed = await sut.list('many/');
    expect(listed).toHaveLength(keys.length);
    expect([...listed].sort()).toEqual([...keys].sort());

    expect(await sut.deletePrefix('many/')).toBe(keys.length);
    expect(await sut.list('many/')).toEqual([]);
  });

  it('answers undefined for an object that is not there', async () => {
    expect(await sut.head('nothing/here')).toBeUndefined();
    expect(await sut.read('nothing/here')).toBeUndefined();
  });
});
