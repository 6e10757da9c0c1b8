import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findExecutable, mediaToolsEnv, missingMediaTools } from './executables.ts';

describe('findExecutable', () => {
  let root: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'executables-'));
    await mkdir(join(root, 'a'));
    await mkdir(join(root, 'b'));
    await mkdir(join(root, 'b', 'ffprobe'));
    await writeFile(join(root, 'a', 'ffmpeg'), '#!/bin/sh\n');
    await writeFile(join(root, 'a', 'notes'), 'not executable');
    await writeFile(join(root, 'b', 'ffmpeg'), '#!/bin/sh\n');
    await chmod(join(root, 'a', 'ffmpeg'), 0o755);
    await chmod(join(root, 'b', 'ffmpeg'), 0o755);
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('answers the first executable of that name on PATH', () => {
    expect(findExecutable('ffmpeg', [join(root, 'a'), join(root, 'b')].join(delimiter))).toBe(
      join(root, 'a', 'ffmpeg'),
    );
  });

  it('skips files that are not executable and directories', () => {
    expect(findExecutable('notes', join(root, 'a'))).toBeUndefined();
    expect(findExecutable('ffprobe', join(root, 'b'))).toBeUndefined();
  });

  it('answers undefined on an empty PATH', () => {
    expect(findExecutable('ffmpeg', '')).toBeUndefined();
  });

  it('says which media tool is missing and how to install it', () => {
    const message = missingMediaTools(join(root, 'a'));

    expect(message).toMatch(/^ffprobe not found on PATH: install ffmpeg/);
    expect(message).toContain('apt-get install -y ffmpeg');
  });

  it('points the apps at the tools found on PATH, unless told otherwise', () => {
    const path = join(root, 'a');

    expect(mediaToolsEnv({ PATH: path })).toEqual({ FFMPEG_PATH: join(path, 'ffmpeg') });
    expect(mediaToolsEnv({ PATH: path, FFMPEG_PATH: '/opt/ffmpeg' })).toEqual({ FFMPEG_PATH: '/opt/ffmpeg' });
  });

  it('says nothing when both media tools are there', async () => {
    await writeFile(join(root, 'a', 'ffprobe'), '#!/bin/sh\n');
    await chmod(join(root, 'a', 'ffprobe'), 0o755);

    expect(missingMediaTools(join(root, 'a'))).toBeUndefined();
  });
});
