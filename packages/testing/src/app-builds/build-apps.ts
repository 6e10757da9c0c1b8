import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { repositoryRoot } from '../processes/app-entry.ts';

/**
 * Builds every project that has a build target (identity's `dist/`, web's `build/`) with nx,
 * once, before any integration test starts an app from its build output. nx replays unchanged
 * builds from its cache, so this costs little when nothing changed. Tests never build on their
 * own: two tests compiling the same output while a third runs it is a race.
 */
export function buildApps(root = repositoryRoot): void {
  const result = spawnSync(
    process.execPath,
    [join(root, 'node_modules/.bin/nx'), 'run-many', '-t', 'build', '--outputStyle=static'],
    {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, NX_DAEMON: 'false', NX_TUI: 'false', NX_NO_CLOUD: 'true', FORCE_COLOR: '0' },
    },
  );
  if (result.status !== 0) {
    throw new Error(`building the apps failed (nx run-many -t build):\n${result.stdout}${result.stderr}`);
  }
}
