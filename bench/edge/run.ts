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
 *    edge as one process (`EDGE_WORKERS=1`), a bare `node:http` server answering the same bytes
 *    from memory with no checks (one process per core: the floor of any Node edge,
 *    `bare-node-server.ts`), the edge as configured by default (`EDGE_WORKERS`
 *    unset: one worker per core, as nginx's `worker_processes auto`; `--workers N` sets it), then
 *    nginx again; the ratios are to the mean of the two nginx runs, so a change of load during
 *    the run hits both sides.
 * 4. Before its run each edge's segment cache is brought to its bound (`EDGE_SEGMENT_CACHE_BYTES`,
 *    the edge's total, 64 MiB by default): twice the bound of other segment-sized objects of the
 *    track is read over fresh connections, so every worker gets its share, then the hot segments.
 *    After the run it prints each process's RSS (the primary is worker 0), their total and peak,
 *    and how full each worker's cache is (`edge_segment_cache_bytes`, from discovery's ops URLs),
 *    with each one's V8 heap and external memory (also once before the single process's run).
 * 5. Each run also prints what it cost the server's processes per request: user and system CPU
 *    from /proc between wrk's start and end, so the gap to nginx shows where it lies.
 *
 * Needs NATS, Redis, ffmpeg, wrk and nginx (`apt-get install -y wrk nginx`). Loopback only.
 *
 * Usage: `node bench/edge/run.ts [--connections 64] [--duration 10s] [--seconds 60] [--workers N]`.
 */
import { execFile, fork, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify, parseArgs } from 'node:util';
import { listInstances } from '@tonearm/bus';
import { objectKeys, sessionKeys } from '@tonearm/contracts';
import { loadEnv } from '@tonearm/runtime';
import { createS3Client, ObjectStore } from '@tonearm/storage';
import { createIsolatedRedis, freePort, isolatedNamespace, startChildService, waitForHealthy } from '@tonearm/testing';
import { connectTestBus, removeNamespace } from '../../packages/bus/test/bus-test-helper.ts';
import { startMotoS3 } from '../../packages/storage/src/test-support/moto-s3-server.ts';
import { edgeEnvShape } from '../../apps/edge/src/config/edge-env.ts';
import { mediaTokens } from '../../apps/edge/src/media/media-token.ts';
import { freshGet } from '../../apps/edge/test/support/fresh-get.ts';
import { metricSum } from '../../apps/edge/test/support/metric-sum.ts';

const run = promisify(execFile);
const { values: args } = parseArgs({
  options: {
    connections: { type: 'string', default: '64' },
    duration: { type: 'string', default: '10s' },
    seconds: { type: 'string', default: '60' },
    threads: { type: 'string', default: '2' },
    /** EDGE_WORKERS of the second edge run; unset: the edge's default (one per core). */
    workers: { type: 'string' },
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

/** Runs `task` over `items`, `concurrency` at a time. */
async function inParallel<T>(items: T[], concurrency: number, task: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await task(items[next++]!);
    }),
  );
}

const cacheBound = loadEnv({
  EDGE_SEGMENT_CACHE_BYTES: edgeEnvShape.EDGE_SEGMENT_CACHE_BYTES,
}).EDGE_SEGMENT_CACHE_BYTES;
const loadAtStart = loadavg();
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
  // Segment-sized objects of the same track, twice the cache bound in all, to fill the caches.
  const segmentBytes = await Promise.all(segments.map((f) => readFile(join(rungDir, f))));
  const fillerFiles = Array.from(
    { length: Math.ceil((2 * cacheBound) / (averageKb * 1000)) },
    (_, i) => `seg-${String(i).padStart(5, '0')}.m4s`,
  );
  const fillers = fillerFiles.map((file, i) => ({ file, body: segmentBytes[i % segmentBytes.length]! }));
  await inParallel(fillers, 8, ({ file, body }) =>
    store.put(`${objectKeys.hlsPrefix(trackId)}filler/${file}`, body, 'audio/mp4'),
  );
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
  const fillerPaths = fillerFiles.map((f) => `/stream/${trackId}/filler/${f}?t=${token}`);
  /** A process and its children. */
  const childrenOf = async (pid: number) => {
    const children = (await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8')).trim();
    return [pid, ...(children ? children.split(/\s+/).map(Number) : [])];
  };
  const startEdge = async (workers: string | undefined) => {
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
        // undefined removes it: the edge's default.
        EDGE_WORKERS: workers,
        REDIS_URL: redis.url,
        IDENTITY_REDIS_PREFIX: redis.keyPrefix,
        EDGE_MEDIA_SECRET: secret,
      },
    });
    cleanups.push(() => edge.stop());
    const base = `http://127.0.0.1:${edgePort}`;
    await waitForHealthy(`${base}/healthz`, { timeoutMs: 20_000 });
    // With workers, the primary serves as worker 0 and its children are the others.
    const pid = edge.process.pid!;
    const pids = await childrenOf(pid);
    const opsUrls = await (async () => {
      for (let attempt = 0; ; attempt++) {
        const urls = (await listInstances(bus, { name: 'edge' })).map((instance) => instance.metadata.opsUrl);
        if (urls.length === pids.length || attempt > 20) return urls;
      }
    })();
    const read = async (path: string) => {
      const status = await freshGet(base + path);
      if (status !== 200) throw new Error(`the edge answered ${status} for ${path}`);
    };
    await inParallel(fillerPaths, 8, read);
    for (const path of [...edgePaths, ...edgePaths]) await read(path);
    return { base, pids, opsUrls, stop: () => edge.stop() };
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
  /** Each process's resident and peak resident memory in MB (primary first), and each worker's cache fill. */
  const memory = async (edge: Awaited<ReturnType<typeof startEdge>>) => {
    const status = await Promise.all(edge.pids.map((pid) => readFile(`/proc/${pid}/status`, 'utf8')));
    // Pss shares each shared page (the node binary, libraries) out among the processes mapping it.
    const rollup = await Promise.all(edge.pids.map((pid) => readFile(`/proc/${pid}/smaps_rollup`, 'utf8')));
    const figure = (text: string, field: string) =>
      Number(new RegExp(`${field}:\\s+(\\d+)`).exec(text)?.[1] ?? 0) / 1024;
    const cached = await Promise.all(edge.opsUrls.map((url) => metricSum(url, 'edge_segment_cache_bytes')));
    const heap = await Promise.all(edge.opsUrls.map((url) => metricSum(url, 'nodejs_heap_size_total_bytes')));
    const heapUsed = await Promise.all(edge.opsUrls.map((url) => metricSum(url, 'nodejs_heap_size_used_bytes')));
    const external = await Promise.all(edge.opsUrls.map((url) => metricSum(url, 'nodejs_external_memory_bytes')));
    return {
      heap,
      heapUsed,
      external,
      rss: status.map((text) => figure(text, 'VmRSS')),
      peak: status.map((text) => figure(text, 'VmHWM')),
      pss: rollup.map((text) => figure(text, 'Pss')),
      anonymous: rollup.map((text) => figure(text, 'Anonymous')),
      cached,
    };
  };

  /** CPU seconds (user, system) the processes and their children have used so far, from /proc. */
  const cpuSeconds = async (pids: number[]) => {
    let user = 0;
    let system = 0;
    for (const pid of pids) {
      const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]!.split(' ');
      user += Number(fields[11]) / 100;
      system += Number(fields[12]) / 100;
    }
    return { user, system };
  };
  /** wrk's run with what it cost the server's processes per request, in microseconds of CPU. */
  const measured = async (base: string, paths: string[], label: string, pids: () => Promise<number[]>) => {
    const before = await cpuSeconds(await pids());
    const result = await wrk(base, paths, work, label);
    const after = await cpuSeconds(await pids());
    const requests = result.requestsPerSecond * Number.parseFloat(args.duration);
    const perRequest = (seconds: number) => Math.round((seconds / requests) * 1e6);
    return {
      ...result,
      cpu: `CPU per request: user ${perRequest(after.user - before.user)} µs, system ${perRequest(after.system - before.system)} µs`,
    };
  };
  const nginxPids = () => childrenOf(nginx.pid!);

  const nginxBefore = await measured(`http://127.0.0.1:${nginxPort}`, nginxPaths, 'nginx', nginxPids);
  const one = await startEdge('1');
  const idleMemory = await memory(one);
  const single = await measured(one.base, edgePaths, 'edge', async () => one.pids);
  const singleMemory = await memory(one);
  await one.stop();
  const barePort = await freePort();
  const bare = await Promise.all(
    Array.from({ length: availableParallelism() }, async () => {
      const server = fork(join(import.meta.dirname, 'bare-node-server.ts'), [
        String(barePort),
        `/stream/${trackId}/${rung}/`,
        rungDir,
      ]);
      await new Promise((resolve, reject) => server.once('message', resolve).once('exit', reject));
      return server;
    }),
  );
  const bareNode = await measured(
    `http://127.0.0.1:${barePort}`,
    segments.map((f) => `/stream/${trackId}/${rung}/${f}`),
    'bare',
    async () => bare.map((server) => server.pid!),
  );
  for (const server of bare) server.kill();
  const cluster = await startEdge(args.workers);
  const several = await measured(cluster.base, edgePaths, 'edges', async () => cluster.pids);
  const clusterMemory = await memory(cluster);
  const workers = clusterMemory.rss.length;
  await cluster.stop();
  const nginxAfter = await measured(`http://127.0.0.1:${nginxPort}`, nginxPaths, 'nginx', nginxPids);
  const baseline = {
    requestsPerSecond: (nginxBefore.requestsPerSecond + nginxAfter.requestsPerSecond) / 2,
    p50Ms: (nginxBefore.p50Ms + nginxAfter.p50Ms) / 2,
    p99Ms: (nginxBefore.p99Ms + nginxAfter.p99Ms) / 2,
    errors: [nginxBefore.errors, nginxAfter.errors].join(' / '),
  };

  const round = (n: number) => Math.round(n * 100) / 100;
  const line = (label: string, r: WrkResult & { cpu?: string }) =>
    `${label.padEnd(40)} ${Math.round(r.requestsPerSecond)} req/s, p50 ${round(r.p50Ms)} ms, p99 ${round(r.p99Ms)} ms, errors: ${r.errors}` +
    ([baseline, nginxBefore, nginxAfter].includes(r)
      ? ''
      : `, ratio to nginx ${round(r.requestsPerSecond / baseline.requestsPerSecond)}`) +
    (r.cpu ? `\n${''.padEnd(41)}${r.cpu}` : '');
  console.log(
    `hot segments: ${segments.length} × ~${round(averageKb)} KB, ${args.connections} connections, ${args.duration} each, ${availableParallelism()} cores`,
  );
  console.log(line('nginx from disk, before', nginxBefore));
  console.log(line('nginx from disk, after', nginxAfter));
  console.log(line('nginx (worker_processes auto), mean', baseline));
  console.log(line(`bare node:http, ${availableParallelism()} processes (no checks)`, bareNode));
  console.log(line('edge, EDGE_WORKERS=1 (token + session)', single));
  console.log(line(`edge, ${args.workers ? `EDGE_WORKERS=${args.workers}` : 'default'} (${workers} workers)`, several));
  const mb = (value: number) => `${Math.round(value)} MB`;
  const sum = (list: number[]) => list.reduce((a, b) => a + b, 0);
  const report = (label: string, m: typeof singleMemory) =>
    `edge RSS after its run, ${label}: total ${mb(sum(m.rss))} (${m.rss.map(mb).join(' + ')}${m.rss.length > 1 ? ', the primary first' : ''}), ` +
    `peak total ${mb(sum(m.peak))}, PSS total ${mb(sum(m.pss))}, anonymous ${mb(sum(m.anonymous))}; cache ${m.cached.map((bytes) => mb(bytes / 1024 ** 2)).join(' + ')} of ${mb(cacheBound / 1024 ** 2)}; ` +
    `V8 heap ${m.heap.map((bytes) => mb(bytes / 1024 ** 2)).join(' + ')} (used ${m.heapUsed.map((bytes) => mb(bytes / 1024 ** 2)).join(' + ')}), external ${m.external.map((bytes) => mb(bytes / 1024 ** 2)).join(' + ')}`;
  console.log(report('1 process, cache filled, before the run', idleMemory));
  console.log(report('1 process', singleMemory));
  console.log(report(`${workers} workers`, clusterMemory));
  const load = (figures: number[]) => figures.map((value) => value.toFixed(1)).join(' ');
  console.log(`load average (1, 5, 15 min): at start ${load(loadAtStart)}, at the end ${load(loadavg())}`);
  console.log('goal: ratio ≥ 0.5, p99 ≤ 20 ms, total RSS ≤ 300 MB with the cache at its bound');
} finally {
  for (const cleanup of cleanups.reverse()) await cleanup().catch((error: unknown) => console.error(error));
  await rm(work, { recursive: true, force: true });
}
