import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serviceNames } from '@tonearm/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appEntry, appIsRunnable } from './app-entry.ts';

describe('appEntry', () => {
  let root: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'app-entry-'));
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  async function app(name: string, start: string | undefined): Promise<void> {
    await mkdir(join(root, 'apps', name, 'src'), { recursive: true });
    await writeFile(join(root, 'apps', name, 'package.json'), JSON.stringify({ scripts: start ? { start } : {} }));
  }

  it('reads the file node runs from the start script', async () => {
    await app('plain', 'node src/main.ts');

    expect(appEntry('plain', root)).toEqual({
      app: 'plain',
      cwd: join(root, 'apps/plain'),
      nodeOptions: [],
      script: 'src/main.ts',
      args: [],
    });
  });

  it('accepts a start script that execs node', async () => {
    await app('execs', 'exec node --enable-source-maps dist/main.js');

    expect(appEntry('execs', root)).toMatchObject({ nodeOptions: ['--enable-source-maps'], script: 'dist/main.js' });
  });

  it('keeps node options before the file and arguments after it', async () => {
    await app('built', 'node --enable-source-maps dist/main.js --verbose');

    expect(appEntry('built', root)).toMatchObject({
      nodeOptions: ['--enable-source-maps'],
      script: 'dist/main.js',
      args: ['--verbose'],
    });
  });

  it.each([
    ['a start script that is not node', 'vite preview'],
    ['no start script', undefined],
    ['node without a file', 'node --inspect'],
  ])('refuses %s', async (_case, start) => {
    const name = `bad-${Math.random().toString(36).slice(2)}`;
    await app(name, start);

    expect(() => appEntry(name, root)).toThrow(/the start script must read "\[exec\] node \[options\] <file>"/);
  });

  it('refuses an app without a package.json', () => {
    expect(() => appEntry('missing', root)).toThrow(/apps\/missing has no package\.json/);
  });

  it('is runnable only once the file it starts exists', async () => {
    await app('later', 'node dist/main.js');
    const sut = appEntry('later', root);
    expect(appIsRunnable(sut)).toBe(false);

    await mkdir(join(sut.cwd, 'dist'));
    await writeFile(join(sut.cwd, 'dist/main.js'), '');

    expect(appIsRunnable(sut)).toBe(true);
  });
});

describe('appEntry of this repository', () => {
  it.each(serviceNames)('can run %s without npm', (app) => {
    expect(appEntry(app).script).toMatch(/\.(ts|js)$/);
  });
});
