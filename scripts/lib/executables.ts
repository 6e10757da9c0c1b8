import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * The full path of an executable found on `PATH`, or undefined.
 *
 * @example
 * findExecutable('ffmpeg'); // '/usr/bin/ffmpeg'
 */
export function findExecutable(name: string, path = process.env.PATH ?? ''): string | undefined {
  for (const directory of path.split(delimiter).filter(Boolean)) {
    const candidate = join(directory, name);
    try {
      accessSync(candidate, constants.X_OK);
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not here; try the next directory
    }
  }
  return undefined;
}

/** The media tools the transcoder runs. */
export const mediaTools = ['ffmpeg', 'ffprobe'] as const;

/**
 * A message saying what is missing and how to install it, or undefined when all is there.
 *
 * @example
 * const problem = missingMediaTools();
 * if (problem) throw new Error(problem);
 */
export function missingMediaTools(path = process.env.PATH ?? ''): string | undefined {
  const missing = mediaTools.filter((tool) => !findExecutable(tool, path));
  if (missing.length === 0) return undefined;
  return [
    `${missing.join(' and ')} not found on PATH: install ffmpeg (5.1 or newer)`,
    '    Debian/Ubuntu: apt-get install -y ffmpeg',
    '    macOS:         brew install ffmpeg',
  ].join('\n');
}

/**
 * `FFMPEG_PATH` and `FFPROBE_PATH` for the apps: where the tools are on `PATH`, unless the
 * environment already says.
 *
 * @example
 * mediaToolsEnv(process.env); // { FFMPEG_PATH: '/usr/bin/ffmpeg', FFPROBE_PATH: '/usr/bin/ffprobe' }
 */
export function mediaToolsEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const found: Record<string, string> = {};
  for (const [variable, tool] of [
    ['FFMPEG_PATH', 'ffmpeg'],
    ['FFPROBE_PATH', 'ffprobe'],
  ] as const) {
    const path = env[variable] ?? findExecutable(tool, env.PATH ?? '');
    if (path) found[variable] = path;
  }
  return found;
}
