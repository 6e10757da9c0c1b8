import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** Job directories are named `job-<trackId>-<random>` under the work directory. */
const JOB_DIR = /^job-[0-9a-f-]{36}-/;

/**
 * Removes job directories left in the work directory by workers that were killed mid-job. Only
 * directories older than `maxAgeMs` go, because other workers on the machine may share the work
 * directory and be writing to theirs right now.
 *
 * @returns the names removed
 * @example
 * await removeStaleJobDirs('/tmp/tonearm-transcoder', 24 * 3600_000);
 */
export async function removeStaleJobDirs(workDir: string, maxAgeMs: number, now = Date.now()): Promise<string[]> {
  const entries = await readdir(workDir, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  const removed: string[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory() || !JOB_DIR.test(entry.name)) continue;
    const path = join(workDir, entry.name);
    const { mtimeMs } = await stat(path);
    if (now - mtimeMs < maxAgeMs) continue;
    await rm(path, { recursive: true, force: true });
    removed.push(entry.name);
  }
  return removed;
}
