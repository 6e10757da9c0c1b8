import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The root of the repository this package sits in. */
export const repositoryRoot = fileURLToPath(new URL('../../../../', import.meta.url));

/** How an app is run: the file node executes, from the app's own directory. */
export interface AppEntry {
  app: string;
  /** The app's directory, used as working directory (as `npm start -w` does). */
  cwd: string;
  /** The file given to node, relative to `cwd`. */
  script: string;
  /** The source whose presence says the app exists (for compiled apps, not the build output). */
  source: string;
  /** Whether `script` is produced by the app's build. */
  built: boolean;
}

const entries: Record<string, { script: string; source: string; built: boolean }> = {
  identity: { script: 'dist/main.js', source: 'src/main.ts', built: true },
  web: { script: 'server.ts', source: 'server.ts', built: false },
};

/**
 * The entry point of an app by the repository's convention: `src/main.ts` run directly, except
 * identity (compiled by tsc to `dist/main.js`) and web (`server.ts` over the vite build).
 *
 * @example
 * appEntry('transcoder'); // { cwd: '<repo>/apps/transcoder', script: 'src/main.ts', ... }
 */
export function appEntry(app: string, root = repositoryRoot): AppEntry {
  const entry = entries[app] ?? { script: 'src/main.ts', source: 'src/main.ts', built: false };
  return { app, cwd: join(root, 'apps', app), ...entry };
}

/**
 * Whether the app's source entry exists (its build output may not yet).
 *
 * @example
 * const present = serviceNames.filter((app) => appExists(appEntry(app)));
 */
export function appExists(entry: AppEntry): boolean {
  return existsSync(join(entry.cwd, entry.source));
}
