import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { removeStaleJobDirs } from './stale-job-dirs.ts';

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe('removeStaleJobDirs', () => {
  it('removes old job directories and keeps recent ones and anything that is not a job', async () => {
    const workDir = await mkdtemp(join(tmpdir(), 'tx-stale-'));
    dirs.push(workDir);
    const old = 'job-0b9c6a1e-4a52-4c39-9a1d-3f1c2b7d8e90-aB12cd';
    const fresh = 'job-7f3e2d1c-0b9a-4c8d-8e7f-6a5b4c3d2e1f-Xy98zw';
    for (const name of [old, fresh, 'keep-me']) {
      await mkdir(join(workDir, name));
      await writeFile(join(workDir, name, 'source'), 'x');
    }
    const dayAgo = new Date(Date.now() - 25 * 3600_000);
    await utimes(join(workDir, old), dayAgo, dayAgo);
    await utimes(join(workDir, 'keep-me'), dayAgo, dayAgo);

    expect(await removeStaleJobDirs(workDir, 24 * 3600_000)).toEqual([old]);
    expect((await readdir(workDir)).sort()).toEqual([fresh, 'keep-me'].sort());
  });

  it('does nothing when the work directory does not exist yet', async () => {
    expect(await removeStaleJobDirs(join(tmpdir(), 'tx-stale-none', 'missing'), 1000)).toEqual([]);
  });
});
