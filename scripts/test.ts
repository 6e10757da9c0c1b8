import { spawn } from 'node:child_process';
import { repositoryRoot } from '@tonearm/testing';
import { missingMediaTools } from './lib/executables.ts';

/**
 * `npm test`: every test of the repository (`vitest run`, unit and integration projects), with
 * the arguments given passed on to vitest (`npm test -- --project unit`, `npm test -- apps/edge`).
 * Integration tests transcode, so ffmpeg must be there first.
 */
const args = process.argv.slice(2);
const projects = args.flatMap((arg, index) =>
  arg === '--project' ? [args[index + 1]] : arg.startsWith('--project=') ? [arg.slice('--project='.length)] : [],
);
const integration = projects.length === 0 || projects.includes('integration');
const missing = integration ? missingMediaTools() : undefined;
if (missing) {
  console.error(`npm test: the integration tests need ffmpeg.\n${missing}`);
  process.exit(1);
}

const vitest = spawn('vitest', ['run', ...args], { cwd: repositoryRoot, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => vitest.kill(signal));
vitest.once('error', (error) => {
  console.error(`npm test: cannot run vitest: ${error.message}`);
  process.exit(1);
});
vitest.once('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
