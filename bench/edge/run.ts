/**
 * Edge hot-segment benchmark. Prints authenticated segment requests per second and latency
 * percentiles through the edge (URL token verified, session checked in Redis, segments from
 * the in-memory cache in front of S3) against nginx serving the same files from disk, measured
 * in the same run with the same wrk load, and their ratio.
 *
 * 1. ffmpeg makes a 128 kb/s AAC fMP4 HLS rendition of `--seconds` of audio (6 s segments,
 *    about 97 KB each), written to a temporary directory and to a private S3 server (moto);
 * 2. a session is put where identity keeps it in Redis and a playback token is signed with the
 *    edge's media secret, so every request goes through the same checks as a player's;
 * 3. wrk, `--connections` connections, `--duration` each, cycling over the segments: nginx, the
 *    edge as one process (`EDGE_WORKERS=1`), the edge with `--workers` processes (default: one
 *    per core, `EDGE_WORKERS=0`, as nginx's `worker_processes auto`), then nginx again; the ratios
 *    are to the mean of the two nginx runs, so a change of load during the run hits both sides.
 *    Each edge gets one warm-up pass that fills its segment cache first.
 *
 * Needs NATS, Redis, ffmpeg, wrk and nginx (`apt-get install -y wrk nginx`). Loopback only.
 *
 * Usage: `node bench/edge/run.ts [--connections 64] [--duration 10s] [--seconds 60] [--workers N]`.
 */
import { execFile, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify, parseArgs } from 'node:util';
import { objectKeys, sessionKeys } from '@tonearm/contracts';
import { createS3Client, ObjectStore } from '@tonearm/storage';
import { createIsolatedRedis, freePort, isolatedNamespace, startChildService, waitForHealthy } from '@tonearm/testing';
import { connectTestBus, removeNamespace } from '../../packages/bus/test/bus-test-helper.ts';
import { startMotoS3 } from '../../packages/storage/src/test-support/moto-s3-server.ts';
import { mediaTokens } from '../../apps/edge/src/media/media-token.ts';

const run = promisify(execFile);
const { values: args } = parseArgs({
  options: {
    connections: { type: 'string', default: '64' },
    duration: { type: 'string', default: '10s' },
    seconds: { type: 'string', default: '60' },
    threads: { type: 'string', default: '2' },
    workers: { type: 'string', default: String(availableParallelism()) },
  },
});

interface WrkResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: string;
}

/** Milliseconds of a wrk latency figure such as `3.21ms`, `950.00us` or `1.02s`. */
function milliseconds(figure: string): number {
  const value = Number.parseFloat(figure);
  if (figure.endsWith('us')) return value / 1000;
  if (figure.endsWith('ms')) return value;
  if (figure.endsWith('s')) return value * 1000;
  return Number.NaN;
}

async function wrk(base: string, paths: string[], dir: string, label: string): Promise<WrkResult> {
  const script = join(dir, `${label}.lua`);
  await writeFile(
    script,
    `local paths = {${paths.map((p) => JSON.stringify(p)).join(',')}}\n` +
      'local i = 0\n' +
      'request = function()\n  i = i % #paths + 1\n  return wrk.format("GET", paths[i])\nend\n',
  );
  const { stdout } = await run(
    'wrk',
    ['-t', args.threads, '-c', args.connections, '-d', args.duration, '--latency', '-s', script, base],
    { maxBuffer: 1024 * 1024 },
  );
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1];
  const p50 = /\s50%\s+([\d.]+\w+)/.exec(stdout)?.[1];
  const p99 = /\s99%\s+([\d.]+\w+)/.exec(stdout)?.[1];
  const errors = /Non-2xx or 3xx responses: \d+|Socket errors: .*/g.exec(stdout)?.[0] ?? 'none';
  if (!rps || !p50 || !p99) throw new Error(`could not read wrk's output:\n${stdout}`);
  return { requestsPerSecond: Number(rps), p50Ms: milliseconds(p50), p99Ms: milliseconds(p99), errors };
}

const work = await mkdtemp(join(tmpdir(), 'edge-bench-'));
const cleanups: (() => Promise<unknown>)[] = [];
try {
  const trackId = randomUUID();
  const rung = 'aac-128k';
  const rungDir = join(work, 'www', 'hls', trackId, rung);
  await mkdir(rungDir, { recursive: true });
  await run('ffmpeg', [
    ...['-v', 'error', '-f', 'lavfi', '-i', `anoisesrc=color=pink:duration=${args.seconds}:sample_rate=44100`],
    ...['-ac', '2', '-c:a', 'aac', '-b:a', '128k', '-f', 'hls', '-hls_time', '6', '-hls_playlist_type', 'vod'],
    ...['-hls_segment_type', 'fmp4', '-hls_fmp4_init_filename', 'init_0.mp4'],
    ...['-hls_segment_filename', join(rungDir, 'seg-%05d.m4s'), join(rungDir, 'index.m3u8')],
  ]);
  const segments = (await readdir(rungDir)).filter((f) => f.endsWith('.m4s')).sort();
  const sizes = await Promise.all(segments.map(async (f) => (await readFile(join(rungDir, f))).byteLength));
  const averageKb = sizes.reduce((a, b) => a + b, 0) / sizes.length / 1000;

  const s3 = await startMotoS3();
  cleanups.push(() => s3.stop());
  const client = createS3Client(s3.env);
  const store = new ObjectStore({ client, bucket: s3.env.S3_BUCKET });
  for (const file of await readdir(rungDir)) {
    await store.put(
      `${objectKeys.hlsPrefix(trackId)}${rung}/${file}`,
      await readFile(join(rungDir, file)),
      'audio/mp4',
    );
  }
  client.destroy();

  const redis = await createIsolatedRedis({ label: 'edge-bench' });
  cleanups.push(() => redis.cleanup());
  const sessionId = randomUUID();
  const userId = randomUUID();
  await redis.client.hset(sessionKeys.session(sessionId), {
    userId,
    roles: 'user',
    createdAt: new Date().toISOString(),
  });
  const secret = randomBytes(32).toString('base64url');
  const { token } = await mediaTokens({ secret, ttlSeconds: 3600 }).issue({ userId, sessionId, trackId });

  const namespace = isolatedNamespace('edge-bench');
  const bus = await connectTestBus('edge-bench', { namespace });
  cleanups.push(async () => {
    await removeNamespace(bus);
    await bus.close();
  });
  const edgePaths = segments.map((f) => `/stream/${trackId}/${rung}/${f}?t=${token}`);
  const startEdge = async (workers: number) => {
    const edgePort = await freePort();
    const edge = await startChildService({
      app: 'edge',
      // Workers start at once, each loading the whole edge: slow on a loaded machine.
      readyTimeoutMs: 120_000,
      env: {
        ...s3.env,
        BUS_NAMESPACE: namespace,
        LOG_LEVEL: 'warn',
        EDGE_PORT: String(edgePort),
        EDGE_HOST: '127.0.0.1',
        EDGE_WORKERS: String(workers),
        REDIS_URL: redis.url,
        IDENTITY_REDIS_PREFIX: redis.keyPrefix,
        EDGE_MEDIA_SECRET: secret,
      },
    });
    cleanups.push(() => edge.stop());
    const base = `http://127.0.0.1:${edgePort}`;
    await waitForHealthy(`${base}/healthz`, { timeoutMs: 20_000 });
    // The primary answers nothing itself: with workers, the processes that serve are its children.
    const pid = edge.process.pid!;
    const children = workers > 1 ? (await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8')).trim() : '';
    const pids = children ? children.split(/\s+/).map(Number) : [pid];
    for (const path of edgePaths) {
      const response = await fetch(base + path);
      if (response.status !== 200) throw new Error(`the edge answered ${response.status} for ${path}`);
      await response.arrayBuffer();
    }
    return { base, pids, stop: () => edge.stop() };
  };

  const nginxPort = await freePort();
  const nginxConf = join(work, 'nginx.conf');
  await writeFile(
    nginxConf,
    `worker_processes auto;\ndaemon off;\npid ${join(work, 'nginx.pid')};\nerror_log ${join(work, 'nginx-error.log')};\n` +
      'events { worker_connections 1024; }\n' +
      `http {\n  access_log off;\n  sendfile on;\n  tcp_nopush on;\n  keepalive_requests 100000;\n` +
      `  client_body_temp_path ${work}; proxy_temp_path ${work}; fastcgi_temp_path ${work}; uwsgi_temp_path ${work}; scgi_temp_path ${work};\n` +
      `  types { audio/mp4 m4s mp4; }\n  server {\n    listen 127.0.0.1:${nginxPort};\n    root ${join(work, 'www')};\n` +
      `    location / { add_header Cache-Control "private, max-age=31536000, immutable"; }\n  }\n}\n`,
  );
  const nginx = spawn('nginx', ['-c', nginxConf, '-p', work], { stdio: 'ignore' });
  cleanups.push(async () => {
    nginx.kill('SIGQUIT');
    await new Promise((resolve) => nginx.once('exit', resolve));
  });
  await waitForHealthy(`http://127.0.0.1:${nginxPort}/hls/${trackId}/${rung}/${segments[0]}`, { timeoutMs: 10_000 });

  const nginxPaths = segments.map((f) => `/hls/${trackId}/${rung}/${f}`);
  const rssMb = async (pids: number[]) =>
    Promise.all(
      pids.map(
        async (pid) => Number(/VmRSS:\s+(\d+)/.exec(await readFile(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024,
      ),
    );

  const nginxBefore = await wrk(`http://127.0.0.1:${nginxPort}`, nginxPaths, work, 'nginx');
  const one = await startEdge(1);
  const single = await wrk(one.base, edgePaths, work, 'edge');
  const singleRss = await rssMb(one.pids);
  await one.stop();
  const workers = Number(args.workers);
  const cluster = await startEdge(workers);
  const several = await wrk(cluster.base, edgePaths, work, 'edges');
  const clusterRss = await rssMb(cluster.pids);
  await cluster.stop();
  const nginxAfter = await wrk(`http://127.0.0.1:${nginxPort}`, nginxPaths, work, 'nginx');
  const baseline = {
    requestsPerSecond: (nginxBefore.requestsPerSecond + nginxAfter.requestsPerSecond) / 2,
    p50Ms: (nginxBefore.p50Ms + nginxAfter.p50Ms) / 2,
    p99Ms: (nginxBefore.p99Ms + nginxAfter.p99Ms) / 2,
    errors: [nginxBefore.errors, nginxAfter.errors].join(' / '),
  };

  const round = (n: number) => Math.round(n * 100) / 100;
  const line = (label: string, r: WrkResult) =>
    `${label.padEnd(40)} ${Math.round(r.requestsPerSecond)} req/s, p50 ${round(r.p50Ms)} ms, p99 ${round(r.p99Ms)} ms, errors: ${r.errors}` +
    ([baseline, nginxBefore, nginxAfter].includes(r)
      ? ''
      : `, ratio to nginx ${round(r.requestsPerSecond / baseline.requestsPerSecond)}`);
  console.log(
    `hot segments: ${segments.length} × ~${round(averageKb)} KB, ${args.connections} connections, ${args.duration} each, ${availableParallelism()} cores`,
  );
  console.log(line('nginx from disk, before', nginxBefore));
  console.log(line('nginx from disk, after', nginxAfter));
  console.log(line('nginx (worker_processes auto), mean', baseline));
  console.log(line('edge, EDGE_WORKERS=1 (token + session)', single));
  console.log(line(`edge, EDGE_WORKERS=${workers}`, several));
  const mb = (list: number[]) => list.map((value) => `${Math.round(value)} MB`).join(', ');
  console.log(
    `edge RSS after its run: 1 worker ${mb(singleRss)}; ${workers} workers ${mb(clusterRss)} each (cache bound 64 MiB per worker)`,
  );
  console.log('goal: ratio ≥ 0.5, p99 ≤ 20 ms, RSS ≤ 300 MB');
} finally {
  for (const cleanup of cleanups.reverse()) await cleanup().catch((error: unknown) => console.error(error));
  await rm(work, { recursive: true, force: true });
}
