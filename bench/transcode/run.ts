/**
 * Transcoder benchmark. Prints two ratios, each against a baseline measured in the same run:
 *
 * 1. upload to playable for one 4-minute track (the pipeline's wall time from the upload event
 *    to `transcode.completed.v1`: S3 download, ffprobe, the one ffmpeg pass, uploads) divided by
 *    one bare ffmpeg command making the same 3-rendition fMP4 HLS ladder from a local file;
 * 2. a batch of short tracks through two transcoder processes (one job each) against the
 *    machine's two cores running the bare command two at a time: the share of that capacity.
 *
 * Needs NATS (and Postgres, Redis, as the test setup checks); starts a local S3 server when
 * `S3_ENDPOINT` is unset. Part 1 runs the pipeline with the transcoder's defaults (as many jobs as
 * cores, two encoder processes for a job that starts alone) and with one encoder process; the
 * batch's one-job workers use one (as such a deployment should). Besides wall times, which other
 * work on the machine skews, the batch prints CPU seconds per track: the bare command's, the
 * workers' (Node and their ffmpeg and ffprobe processes) and this process's (the local S3 server),
 * and the median phases of the jobs' `transcoded` log lines. Usage:
 * `node bench/transcode/run.ts [--runs 2] [--tracks 40] [--seconds 20] [--encoder-processes 1]`
 * (`--encoder-processes` sets the batch's workers).
 */
import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultSettings, type EventData } from '@tonearm/contracts';
import { prepareTestServices } from '@tonearm/testing';
import { bareLadder } from '../shared/bare-ladder.ts';
import {
  generateSource,
  TranscoderHarness,
  type GeneratedSource,
} from '../../apps/transcoder/test/transcoder-harness.ts';

/** CPU seconds a process has used, with its children that have ended (`/proc/<pid>/stat`). */
async function cpuSeconds(pid: number | 'self'): Promise<{ own: number; children: number }> {
  const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]!.split(' ');
  const ticks = (from: number) => (Number(fields[from]) + Number(fields[from + 1])) / 100;
  return { own: ticks(11), children: ticks(13) };
}
const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '2' },
    tracks: { type: 'string', default: '40' },
    seconds: { type: 'string', default: '20' },
    'encoder-processes': { type: 'string', default: '1' },
  },
});
const runs = Number(args.runs);
const trackCount = Number(args.tracks);
const batchSeconds = Number(args.seconds);
const batchEncoderProcesses = args['encoder-processes'];
const ladder = defaultSettings()['transcode.ladder'];

async function timed(work: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await work();
  return (performance.now() - start) / 1000;
}

async function inParallel<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const services = await prepareTestServices();
Object.assign(process.env, services.env);
const harness = await TranscoderHarness.create('bench-tx');

/** Resolves when `transcode.completed.v1` (or failed) has arrived for every track id. */
function completions(trackIds: string[]): Promise<void> {
  const waiting = new Set(trackIds);
  const topology = harness.bus.topology;
  const subjects = [topology.subjectOf('transcode.completed.v1'), topology.subjectOf('transcode.failed.v1')];
  return new Promise((resolve, reject) => {
    const subs = subjects.map((subject) =>
      harness.bus.nc.subscribe(subject, {
        callback: (err, msg) => {
          if (err) return reject(err);
          const event = msg.json<{ type: string; data: { trackId: string; reason?: string } }>();
          if (event.type === 'transcode.failed.v1') reject(new Error(`transcode failed: ${event.data.reason}`));
          waiting.delete(event.data.trackId);
          if (waiting.size === 0) {
            for (const sub of subs) sub.unsubscribe();
            resolve();
          }
        },
      }),
    );
  });
}

async function pipeline(staged: EventData<'ingest.upload.completed.v1'>[]): Promise<number> {
  await harness.bus.nc.flush();
  return timed(async () => {
    const done = completions(staged.map((s) => s.trackId));
    await harness.bus.nc.flush();
    for (const data of staged) await harness.bus.publish('ingest.upload.completed.v1', { data });
    await done;
  });
}

try {
  console.log(`machine: ${availableParallelism()} cores; ladder ${ladder.map((r) => r.name).join(', ')}`);

  const long = await generateSource(harness.dir, 'four-minutes', {
    format: 'flac',
    seconds: 240,
    sampleRate: 44_100,
    channels: 2,
  });
  const bareTimes: number[] = [];
  const pipelineTimes: Record<'defaults' | '1', number[]> = { defaults: [], '1': [] };
  const bytes = await readFile(long.path);
  // Interleaved, and in reverse order every other run (A B C, C B A), so that a change of load on
  // the machine during the run hits every side alike.
  const timePipeline = async (mode: 'defaults' | '1') => {
    const worker = await harness.startWorker({
      LOG_LEVEL: 'warn',
      ...(mode === '1' ? { TRANSCODER_CONCURRENCY: '1', TRANSCODER_ENCODER_PROCESSES: '1' } : {}),
    });
    pipelineTimes[mode]!.push(await pipeline([await harness.stage(bytes, long)]));
    await worker.stop();
  };
  const timeBare = async () => {
    bareTimes.push(await timed(() => bareLadder(long.path, join(harness.dir, 'bare-long'))));
  };
  for (let i = 0; i < runs; i++) {
    const steps = [timeBare, () => timePipeline('defaults'), () => timePipeline('1')];
    for (const step of i % 2 ? steps.reverse() : steps) await step();
  }
  const bare = median(bareTimes);
  const list = (times: number[]) => times.map((t) => t.toFixed(2)).join(', ');
  console.log(`\n1) one 4-minute track (median of ${runs})`);
  console.log(
    `   bare ffmpeg ladder:  ${bare.toFixed(2)} s (${(240 / bare).toFixed(1)}x realtime)  runs ${list(bareTimes)}`,
  );
  const modeNames = { defaults: 'worker defaults (2 encoder processes)', '1': '1 encoder process' } as const;
  for (const mode of ['defaults', '1'] as const) {
    const piped = median(pipelineTimes[mode]!);
    console.log(
      `   upload to playable, ${modeNames[mode]}: ${piped.toFixed(2)} s (${(240 / piped).toFixed(1)}x realtime)  runs ${list(pipelineTimes[mode]!)}`,
    );
    console.log(`   ratio pipeline / bare = ${(piped / bare).toFixed(2)}  (target <= 1.0)`);
  }

  const sources: GeneratedSource[] = [];
  for (let i = 0; i < trackCount; i++) {
    sources.push(
      await generateSource(harness.dir, `batch-${i}`, {
        format: i % 2 ? 'flac' : 'mp3',
        seconds: batchSeconds,
        sampleRate: 44_100,
        channels: 2,
      }),
    );
  }
  const batchEnv = {
    TRANSCODER_CONCURRENCY: '1',
    // info, for the phases of each job's `transcoded` line
    LOG_LEVEL: 'info',
    TRANSCODER_ENCODER_PROCESSES: batchEncoderProcesses,
  };
  const bareBatchTimes: number[] = [];
  const pipelineBatchTimes: number[] = [];
  /** Per batch round: the workers' resident memory (MB) after a few jobs, at its peak, and at the end. */
  const rssRounds: { early: number; peak: number; end: number }[] = [];
  const rssOf = async (pid: number) =>
    Number(/VmRSS:\s+(\d+)/.exec(await readFile(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
  /** CPU seconds per track of each round: bare ffmpeg; the workers with their children; this process. */
  const bareCpu: number[] = [];
  const workerCpu: number[] = [];
  /** The workers' own share (Node) of `workerCpu`; the rest is their ffmpeg and ffprobe. */
  const workerOwnCpu: number[] = [];
  const benchCpu: number[] = [];
  const phaseLines: Record<string, number>[] = [];
  const timeBareBatch = async () => {
    const before = await cpuSeconds('self');
    bareBatchTimes.push(
      await timed(() =>
        inParallel(sources, 2, (source) => bareLadder(source.path, join(harness.dir, `bare-${source.filename}`))),
      ),
    );
    bareCpu.push(((await cpuSeconds('self')).children - before.children) / trackCount);
  };
  const timePipelineBatch = async () => {
    const workers = [await harness.startWorker(batchEnv), await harness.startWorker(batchEnv)];
    const staged = [];
    for (const source of sources) staged.push(await harness.stage(await readFile(source.path), source));
    const pids = workers.map((w) => w.process.pid!);
    const workersCpu = async () =>
      (await Promise.all(pids.map(cpuSeconds))).reduce((sum, cpu) => sum + cpu.own + cpu.children, 0);
    const workersOwnCpu = async () => (await Promise.all(pids.map(cpuSeconds))).reduce((sum, cpu) => sum + cpu.own, 0);
    const cpuBefore = await workersCpu();
    const ownBefore = await workersOwnCpu();
    const benchBefore = process.cpuUsage();
    const round = { early: 0, peak: 0, end: 0 };
    const started = performance.now();
    const sampler = setInterval(() => {
      void Promise.all(pids.map(rssOf)).then((mbs) => {
        const most = Math.max(...mbs);
        round.peak = Math.max(round.peak, most);
        if (performance.now() - started < 5_000) round.early = Math.max(round.early, most);
      });
    }, 250);
    pipelineBatchTimes.push(await pipeline(staged));
    clearInterval(sampler);
    // The last job's ffmpeg has been reaped once its completion was published.
    workerCpu.push(((await workersCpu()) - cpuBefore) / trackCount);
    workerOwnCpu.push(((await workersOwnCpu()) - ownBefore) / trackCount);
    const bench = process.cpuUsage(benchBefore);
    benchCpu.push((bench.user + bench.system) / 1e6 / trackCount);
    for (const worker of workers) {
      for (const line of worker.output().split('\n')) {
        if (!line.includes('"transcoded"')) continue;
        const phases = (JSON.parse(line) as { phases?: Record<string, number> }).phases;
        if (phases) phaseLines.push(phases);
      }
    }
    round.end = Math.max(...(await Promise.all(pids.map(rssOf))));
    rssRounds.push(round);
    await Promise.all(workers.map((w) => w.stop()));
  };
  // Bare, pipeline, pipeline, bare: a steady drift in load cancels out of the means.
  for (const step of [timeBareBatch, timePipelineBatch, timePipelineBatch, timeBareBatch]) await step();
  const bareBatch = bareBatchTimes.reduce((a, b) => a + b, 0) / bareBatchTimes.length;
  const pipelineBatch = pipelineBatchTimes.reduce((a, b) => a + b, 0) / pipelineBatchTimes.length;
  const audio = trackCount * batchSeconds;
  console.log(
    `\n2) batch of ${trackCount} tracks of ${batchSeconds} s, ${batchEncoderProcesses} encoder process(es) per job, mean of 2 rounds (bare, pipeline, pipeline, bare)`,
  );
  console.log(
    `   bare ffmpeg, 2 at a time:          ${bareBatch.toFixed(2)} s (${(audio / bareBatch).toFixed(1)}x realtime)  rounds ${list(bareBatchTimes)}`,
  );
  console.log(
    `   two transcoder workers, 1 job each: ${pipelineBatch.toFixed(2)} s (${(audio / pipelineBatch).toFixed(1)}x realtime)  rounds ${list(pipelineBatchTimes)}`,
  );
  console.log(
    `   ratio of capacity (bare / pipeline) = ${(bareBatch / pipelineBatch).toFixed(2)}  (bulk ingest's >= 0.9 of targets.md is end to end: bench/ingest)`,
  );
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  console.log(
    `   CPU seconds per track: bare ffmpeg ${mean(bareCpu).toFixed(3)}; transcoder workers with their ffmpeg and ffprobe ${mean(workerCpu).toFixed(3)} (Node itself ${mean(workerOwnCpu).toFixed(3)}); this process (local S3 server) ${mean(benchCpu).toFixed(3)}`,
  );
  console.log(
    `   CPU ratio bare / (workers + S3) = ${(mean(bareCpu) / (mean(workerCpu) + mean(benchCpu))).toFixed(2)}  (what the batch ratio is on an otherwise idle machine, less the waits between phases)`,
  );
  const phaseNames = [...new Set(phaseLines.flatMap((p) => Object.keys(p)))];
  console.log(
    `   median phases of ${phaseLines.length} jobs: ${phaseNames.map((name) => `${name} ${median(phaseLines.map((p) => p[name] ?? 0))}`).join(', ')}`,
  );
  const mb = (value: number) => `${Math.round(value)} MB`;
  for (const [i, r] of rssRounds.entries()) {
    console.log(
      `   worker RSS, round ${i + 1} (largest of the two workers): first 5 s ${mb(r.early)}, peak ${mb(r.peak)}, end ${mb(r.end)}  (target <= 250 MB, flat)`,
    );
  }
} finally {
  await harness.close().catch((error: unknown) => console.error('cleanup incomplete:', error));
  await services.stop();
}
