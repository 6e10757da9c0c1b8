import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { UploadStateFile, uploadStateKey, type FileIdentity } from './upload-state.ts';

const file: FileIdentity = { server: 'http://edge', path: '/m/a.flac', size: 10, mtimeMs: 1.5, sha256: 'ab' };

describe('uploadStateKey', () => {
  it.each([
    ['server', { server: 'http://other' }],
    ['path', { path: '/m/b.flac' }],
    ['size', { size: 11 }],
    ['mtime', { mtimeMs: 2 }],
    ['content', { sha256: 'cd' }],
  ])('changes with the %s', (_what, change) => {
    expect(uploadStateKey({ ...file, ...change })).not.toBe(uploadStateKey(file));
  });

  it('is the same for the same file', () => {
    expect(uploadStateKey({ ...file })).toBe(uploadStateKey(file));
  });
});

describe('UploadStateFile', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('keeps sessions across loads in a file only its owner can read, and forgets them', async () => {
    dir = await mkdtemp(join(tmpdir(), 'cli-state-'));
    const sut = new UploadStateFile(dir);
    await sut.load();
    await sut.set(file, { uploadId: 'u1', trackId: 't1' });
    const again = new UploadStateFile(dir);
    await again.load();
    expect(again.get(file)).toMatchObject({ uploadId: 'u1', trackId: 't1' });
    expect(again.get({ ...file, size: 11 })).toBeUndefined();
    expect((await stat(join(dir, 'uploads.json'))).mode & 0o777).toBe(0o600);
    await again.set(file, undefined);
    const third = new UploadStateFile(dir);
    await third.load();
    expect(third.get(file)).toBeUndefined();
  });
});
