import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SegmentShipper } from './segment-shipper.ts';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'shipper-'));
  for (const rendition of ['low', 'high']) await mkdir(join(dir, rendition));
});

afterEach(() => rm(dir, { recursive: true, force: true }));

const write = (rendition: string, file: string) => writeFile(join(dir, rendition, file), 'x');

function shipperWith(upload: (rendition: string, file: string) => Promise<void>, concurrency = 2) {
  return new SegmentShipper({ dir, renditions: ['low', 'high'], concurrency, upload });
}

describe('SegmentShipper', () => {
  it('uploads every segment but the newest of each rendition, each once', async () => {
    const uploaded: string[] = [];
    const sut = shipperWith(async (rendition, file) => void uploaded.push(`${rendition}/${file}`));
    for (const file of ['seg-00000.m4s', 'seg-00001.m4s', 'seg-00002.m4s', 'init.mp4', 'index.m3u8']) {
      await write('low', file);
    }
    await write('high', 'seg-00000.m4s');

    await sut.scan();
    await sut.scan();
    await sut.drain();

    expect(uploaded.sort()).toEqual(['low/seg-00000.m4s', 'low/seg-00001.m4s']);
    expect([...sut.shipped].sort()).toEqual(uploaded);
  });

  it('orders segments by number, not by name length', async () => {
    const uploaded: string[] = [];
    const sut = shipperWith(async (_, file) => void uploaded.push(file));
    for (const file of ['seg-99999.m4s', 'seg-100000.m4s']) await write('low', file);

    await sut.scan();
    await sut.drain();

    expect(uploaded).toEqual(['seg-99999.m4s']);
  });

  it('runs at most `concurrency` uploads at once; drain leaves the queued rest to the caller', async () => {
    let running = 0;
    let most = 0;
    const sut = shipperWith(async () => {
      most = Math.max(most, ++running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running--;
    }, 3);
    for (let i = 0; i < 12; i++) await write('low', `seg-${String(i).padStart(5, '0')}.m4s`);

    await sut.scan();
    await sut.drain();

    expect(most).toBe(3);
    expect(sut.shipped.size).toBe(3);
  });

  it('throws the first failure from drain, and counts as shipped only what was started', async () => {
    let calls = 0;
    const sut = shipperWith(async () => {
      calls++;
      throw new Error('storage is down');
    }, 1);
    for (let i = 0; i < 5; i++) await write('low', `seg-0000${i}.m4s`);

    await sut.scan();

    await expect(sut.drain()).rejects.toThrow('storage is down');
    expect(calls).toBe(1);
    expect(sut.shipped.size).toBe(1);
  });

  it('starts nothing after drain', async () => {
    const uploaded: string[] = [];
    const sut = shipperWith(async (_, file) => void uploaded.push(file));
    await sut.drain();
    for (const file of ['seg-00000.m4s', 'seg-00001.m4s']) await write('low', file);

    await sut.scan();

    expect(uploaded).toEqual([]);
  });
});
