import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { describeTags, detectMime, isSupportedAudio, sha256File, walkFiles } from './file-scan.ts';

describe('isSupportedAudio', () => {
  it.each(['audio/x-flac', 'audio/mpeg', 'audio/ogg', 'audio/opus', 'audio/wav', 'audio/x-m4a'])('takes %s', (mime) => {
    expect(isSupportedAudio(mime)).toBe(true);
  });

  it.each([undefined, 'application/zip', 'image/png', 'text/plain'])('refuses %s', (mime) => {
    expect(isSupportedAudio(mime)).toBe(false);
  });
});

describe('walkFiles, detectMime and sha256File', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('finds nested files in path order, detects by content and hashes', async () => {
    dir = await mkdtemp(join(tmpdir(), 'cli-scan-'));
    await mkdir(join(dir, 'Ålbum one', 'disc 2'), { recursive: true });
    const flacHeader = Buffer.concat([Buffer.from('fLaC'), Buffer.alloc(60)]);
    await writeFile(join(dir, 'Ålbum one', 'disc 2', 'song.txt'), flacHeader);
    await writeFile(join(dir, 'notes.mp3'), 'just words');
    const sut = await walkFiles([dir, join(dir, 'notes.mp3')]);
    expect(sut.map((file) => file.path)).toEqual(
      [join(dir, 'notes.mp3'), join(dir, 'Ålbum one', 'disc 2', 'song.txt')].sort(),
    );
    expect(await detectMime(join(dir, 'Ålbum one', 'disc 2', 'song.txt'))).toBe('audio/flac');
    expect(await detectMime(join(dir, 'notes.mp3'))).toBeUndefined();
    expect(await sha256File(join(dir, 'notes.mp3'))).toBe(
      'b7ae1cb444485d06655450e7e878a5078f974c3aa838bf4bfe3c434d4286e124',
    );
  });
});

describe('describeTags', () => {
  it('leaves out what is missing', () => {
    expect(describeTags({ artist: 'A', album: 'B', title: 'C', trackNumber: 2 })).toBe('A — B #2 C');
    expect(describeTags({ artist: 'A', album: undefined, title: 'C', trackNumber: undefined })).toBe('A C');
    expect(describeTags({ artist: undefined, album: undefined, title: undefined, trackNumber: undefined })).toBe(
      'no tags',
    );
  });
});
