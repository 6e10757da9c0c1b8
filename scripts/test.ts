import { spawn } from 'node:child_process';
import { repositoryRoot } from '@tonearm/testing';
import { missingMediaTools } from './lib/executables.ts';

/**
 * `npm test`: every test of the repository. First `vitest run` of the unit and integration
 * projects, with the arguments given passed on to vitest (`npm test -- --project unit`,
 * `npm test -- apps/edge`); then, when no project or file filter was given, the system tests
 * (`vitest run --project system`: the whole platform under load, faults and bad input), unless
 * `--skip-system` or `TONEARM_SKIP_SYSTEM=1` says not to. Integration and system tests
 * transcode, so ffmpeg must be there first.
 */
const given = process.argv.slice(2);
const skipSystem = given.includes('--skip-system') || ['1', 'true'].includes(process.env.TONEARM_SKIP_SYSTEM ?? '');
const args = given.filter((arg) => arg !== '--skip-system');
const projects = args.flatMap((arg, index) =>
  arg === '--project' ? [args[index + 1]] : arg.startsWith('--project=') ? [arg.slice('--project='.length)] : [],
);
const filtered = args.some((arg, index) => !arg.startsWith('-') && args[index - 1] !== '--project');
const needsMedia = projects.length === 0 || projects.includes('integration') || projects.includes('system');
const missing = needsMedia ? missingMediaTools() : undefined;
if (missing) {
  console.error(`npm test: the integration and system tests need ffmpeg.\n${missing}`);
  process.exit(1);
}

/** Runs vitest with the arguments and resolves with its exit code. */
function vitest(vitestArgs: string[]): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn('vitest', ['run', ...vitestArgs], { cwd: repositoryRoot, stdio: 'inherit' });
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, forward);
    child.once('error', (error) => {
      console.error(`npm test: cannot run vitest: ${error.message}`);
      resolve(1);
    });
    child.once('exit', (code, signal) => {
      for (const name of ['SIGINT', 'SIGTERM'] as const) process.off(name, forward);
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

if (projects.length > 0) process.exit(await vitest(args));
const code = await vitest(['--project', 'unit', '--project', 'integration', ...args]);
if (code !== 0 || skipSystem || filtered) process.exit(code);
console.log('\nnpm test: the system tests (skip them with `npm test -- --skip-system` or TONEARM_SKIP_SYSTEM=1)\n');
process.exit(await vitest(['--project', 'system']));
