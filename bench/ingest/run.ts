/**
 * Bulk ingest benchmark (issue 8): `--tracks` generated tracks of `--seconds` (several formats,
 * albums of ten) through the whole platform on this machine with the real CLI
 * (`tonearm ingest --wait`), end to end from the command's start to every track ready.
 *
 * Prints the tracks per minute, how busy the cores were (/proc/stat sampled during the run; the
 * whole machine, so other load counts too), and what the transcoding alone allows on these cores:
 * a bare ffmpeg command making the same ladder for a sample of the same files, one at a time and
 * two at a time, measured in the same run (before and after the platform run). The ratio is end
 * to end over the two-at-a-time capacity (target >= 0.9, /work/shared/brief/targets.md).
 *
 * Starts the platform as the tests do (private databases, S3, bus namespace; the transcoder with
 * one job per core), or uses a running one with `--server URL` (a new account is registered).
 * Usage: `npm run bench:ingest -- [--tracks 200] [--seconds 30] [--sample 10] [--concurrency 4]
 * [--server http://localhost:8080] [--encoder-processes 1|2]`
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildApps, prepareTestServices } from '@tonearm/testing';
import { startPlatform, type Platform } from '../../apps/edge/test/support/platform.ts';
import { mapLimit } from '../../packages/cli/src/ingest/part-plan.ts';
import { finished, spawnTonearm, tonearm, tone } from '../../packages/cli/test/ingest-support.ts';
import { bareLadder } from '../shared/bare-ladder.ts';
import { sampleCpu } from './cpu-sampler.ts';

const { values: args } = parseArgs({
  options: {
    tracks: { type: 'string', default: '200' },
    seconds: { type: 'string', default: '30' },
    sample: { type: 'string', default: '10' },
    concurrency: { type: 'string', default: '4' },
    server: { type: 'string' },
    'encoder-processes': { type: 'string' },
  },
});
const trackCount = Number(args.tracks);
const seconds = Number(args.seconds);
const sampleCount = Math.min(Number(args.sample), trackCount);
for (const [name, value] of Object.entries({ tracks: trackCount, seconds, sample: sampleCount })) {
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive whole number`);
}
const cores = availableParallelism();
const formats = ['mp3', 'flac', 'ogg', 'opus', 'm4a', 'wav', 'aiff'];

async function timed(work: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await work();
  return (performance.now() - start) / 1000;
}

const perMinute = (count: number, secondsTaken: number) => (count / secondsTaken) * 60;

const root = await mkdtemp(join(tmpdir(), 'tonearm-bench-ingest-'));
const music = join(root, 'catalog');
const env = { XDG_CONFIG_HOME: join(root, 'config') };
let platform: Platform | undefined;
let stopServices: (() => Promise<void>) | undefined;
try {
  let server = args.server;
  if (!server) {
    const services = await prepareTestServices();
    stopServices = services.stop;
    Object.assign(process.env, services.env);
    buildApps();
    platform = await startPlatform({
      readyTimeoutMs: 120_000,
      transcoderEnv: {
        TRANSCODER_CONCURRENCY: String(cores),
        ...(args['encoder-processes'] ? { TRANSCODER_ENCODER_PROCESSES: args['encoder-processes'] } : {}),
      },
    });
    server = platform.edgeUrl;
  }
  console.log(`machine: ${cores} cores; ${trackCount} tracks of ${seconds} s (${formats.join(', ')}); ${server}`);

  const files = Array.from({ length: trackCount }, (_, i) => {
    const album = Math.floor(i / 10);
    const format = formats[i % formats.length]!;
    const track = (i % 10) + 1;
    return {
      path: join(music, `Artist ${album}`, `Album ${album}`, `${String(track).padStart(2, '0')} Track ${i}.${format}`),
      tags: { artist: `Bench Artist ${album}`, album: `Bench Album ${album}`, title: `Track ${i}`, track },
    };
  });
  const generation = await timed(() => mapLimit(files, cores, (file) => tone(file.path, file.tags, seconds)));
  let bytes = 0;
  for (const file of files) bytes += (await stat(file.path)).size;
  console.log(`generated in ${generation.toFixed(1)} s, ${(bytes / 1024 ** 2).toFixed(1)} MiB`);

  const sample = files.slice(0, sampleCount).map((file) => file.path);
  const bareRound = (parallel: number) =>
    timed(() => mapLimit(sample, parallel, (path) => bareLadder(path, join(root, 'bare', randomUUID()))));
  const bareOne = await bareRound(1);
  const bareTwoBefore = await bareRound(cores);

  const email = `bench-${randomUUID()}@example.org`;
  const password = 'a long passphrase for the bench';
  const registered = await fetch(new URL('/api/auth/register', server), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password, displayName: 'Bench Label' }),
  });
  if (registered.status !== 201) throw new Error(`register answered ${registered.status}: ${await registered.text()}`);
  const login = await tonearm(['--server', server, 'login', '--email', email], env, `${password}\n`);
  if (login.code !== 0) throw new Error(`tonearm login failed: ${login.stderr}`);

  const cpu = sampleCpu(1000);
  const ingestArgs = ['--server', server, 'ingest', '--wait', '--json', '--concurrency', args.concurrency, music];
  let retries = 0;
  const endToEnd = await timed(async () => {
    const result = await finished(spawnTonearm(ingestArgs, env));
    retries = result.stderr.split('\n').filter((line) => /answered (429|503); retrying/.test(line)).length;
    const report = JSON.parse(result.stdout || '{}');
    if (result.code !== 0 || report.ingested?.length !== trackCount) {
      throw new Error(`tonearm ingest exited ${result.code}: ${JSON.stringify(report.failed ?? result.stderr)}`);
    }
  });
  const busy = await cpu.stop();
  const bareTwoAfter = await bareRound(cores);

  const bareTwo = (bareTwoBefore + bareTwoAfter) / 2;
  const capacity = perMinute(sampleCount, bareTwo);
  const rate = perMinute(trackCount, endToEnd);
  const sorted = [...busy.samples].sort((a, b) => a - b);
  console.log(`\nend to end (tonearm ingest --wait, ${trackCount} tracks): ${endToEnd.toFixed(1)} s`);
  console.log(`  API answers retried by the CLI (429/503): ${retries}`);
  console.log(`  ${rate.toFixed(1)} tracks/min, ${((trackCount * seconds) / endToEnd).toFixed(1)}x realtime`);
  console.log(
    `  cores busy: mean ${busy.meanPercent.toFixed(0)}% of ${cores} cores ` +
      `(1 s samples: p10 ${sorted[Math.floor(sorted.length * 0.1)]?.toFixed(0)}%, ` +
      `median ${sorted[Math.floor(sorted.length / 2)]?.toFixed(0)}%, whole machine)`,
  );
  console.log(`\ntranscoding alone (bare ffmpeg ladder, sample of ${sampleCount} of the same files)`);
  console.log(`  one at a time:  ${bareOne.toFixed(1)} s -> ${perMinute(sampleCount, bareOne).toFixed(1)} tracks/min`);
  console.log(
    `  ${cores} at a time:   ${bareTwoBefore.toFixed(1)} s before, ${bareTwoAfter.toFixed(1)} s after -> ` +
      `${capacity.toFixed(1)} tracks/min (${cores} x one at a time would be ${(cores * perMinute(sampleCount, bareOne)).toFixed(1)})`,
  );
  console.log(`\nratio end to end / transcoding capacity = ${(rate / capacity).toFixed(2)}  (target >= 0.9)`);
} finally {
  await platform?.stop().catch((error: unknown) => console.error('platform stop incomplete:', error));
  await stopServices?.();
  await rm(root, { recursive: true, force: true });
}
