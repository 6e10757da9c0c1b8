import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { LinePrinter } from './output-lines.ts';

/** A running `nx run-many -t build`. */
export interface BuildStep {
  child: ChildProcess;
  /** Resolves with nx's exit code. */
  finished: Promise<number | null>;
}

/**
 * Builds every project with a build target (nx skips the others and replays cached results), or
 * only the `projects` given and what they depend on, without the nx daemon or terminal UI so
 * nothing outlives `npm start`.
 *
 * @example
 * const build = runBuild(repositoryRoot, printer);
 * if ((await build.finished) !== 0) process.exit(1);
 */
export function runBuild(cwd: string, printer: LinePrinter, projects?: readonly string[]): BuildStep {
  const only = projects ? [`--projects=${projects.join(',')}`] : [];
  const child = spawn('nx', ['run-many', '-t', 'build', '--outputStyle=static', ...only], {
    cwd,
    env: { ...process.env, NX_DAEMON: 'false', NX_TUI: 'false', NX_NO_CLOUD: 'true', FORCE_COLOR: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream!, crlfDelay: Infinity }).on('line', (line) => {
      if (line.trim()) printer.print('build', line);
    });
  }
  const finished = new Promise<number | null>((resolve) => {
    child.once('error', (error) => {
      printer.print('build', `cannot run nx: ${error.message}`);
      resolve(null);
    });
    child.once('close', (code) => resolve(code));
  });
  return { child, finished };
}
