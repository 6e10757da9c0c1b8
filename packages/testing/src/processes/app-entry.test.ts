import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { appEntry, appExists } from './app-entry.ts';

describe('appEntry', () => {
  it('runs src/main.ts directly for the plain apps', () => {
    const sut = appEntry('transcoder', '/repo');

    expect(sut).toEqual({
      app: 'transcoder',
      cwd: '/repo/apps/transcoder',
      script: 'src/main.ts',
      source: 'src/main.ts',
      built: false,
    });
  });

  it('runs the compiled dist/main.js of identity', () => {
    expect(appEntry('identity', '/repo')).toMatchObject({ script: 'dist/main.js', source: 'src/main.ts', built: true });
  });

  it('runs server.ts of web from its own directory', () => {
    expect(appEntry('web', '/repo')).toMatchObject({ cwd: '/repo/apps/web', script: 'server.ts', built: false });
  });
});

describe('appExists', () => {
  const roots: string[] = [];
  afterAll(() => Promise.all(roots.map((root) => rm(root, { recursive: true, force: true }))));

  it('is true only once the source entry is there, built or not', async () => {
    const root = await mkdtemp(join(tmpdir(), 'app-entry-'));
    roots.push(root);
    const sut = appEntry('identity', root);
    expect(appExists(sut)).toBe(false);

    await mkdir(join(sut.cwd, 'src'), { recursive: true });
    await writeFile(join(sut.cwd, 'src/main.ts'), '');

    expect(appExists(sut)).toBe(true);
  });
});
