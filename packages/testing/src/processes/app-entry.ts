import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The root of the repository this package sits in. */
export const repositoryRoot = fileURLToPath(new URL('../../../../', import.meta.url));

/** How an app is run, read from the `start` script of its package.json. */
export interface AppEntry {
  app: string;
  /** The app's directory, used as working directory (as `npm start -w` does). */
  cwd: string;
  /** Node's options before the script, e.g. `['--enable-source-maps']`. */
  nodeOptions: string[];
  /** The file given to node, relative to `cwd`. */
  script: string;
  /** The arguments after the script. */
  args: string[];
}

/**
 * How an app starts, from `apps/<app>/package.json`'s `start` script (`[exec] node [options]
 * <file> [args]`), so `npm start` and tests run it without an npm process in between.
 *
 * @example
 * appEntry('identity'); // { cwd: '<repo>/apps/identity', nodeOptions: ['--enable-source-maps'], script: 'dist/main.js', args: [] }
 */
export function appEntry(app: string, root = repositoryRoot): AppEntry {
  const cwd = join(root, 'apps', app);
  const manifestPath = join(cwd, 'package.json');
  if (!existsSync(manifestPath)) throw new Error(`apps/${app} has no package.json`);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { scripts?: Record<string, string> };
  const start = manifest.scripts?.start;
  const tokens = start?.trim().split(/\s+/) ?? [];
  const [command, ...rest] = tokens[0] === 'exec' ? tokens.slice(1) : tokens;
  const scriptIndex = rest.findIndex((token) => !token.startsWith('-'));
  if (command !== 'node' || scriptIndex < 0) {
    throw new Error(
      `apps/${app}/package.json: the start script must read "[exec] node [options] <file>", not ${JSON.stringify(start)}`,
    );
  }
  return {
    app,
    cwd,
    nodeOptions: rest.slice(0, scriptIndex),
    script: rest[scriptIndex]!,
    args: rest.slice(scriptIndex + 1),
  };
}

/**
 * Whether the file the app starts from is there (for built apps: whether it has been built).
 *
 * @example
 * const runnable = serviceNames.map((app) => appEntry(app)).filter(appIsRunnable);
 */
export function appIsRunnable(entry: AppEntry): boolean {
  return existsSync(join(entry.cwd, entry.script));
}
