import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { connectBus, putSetting, type Bus } from '@tonearm/bus';
import {
  databaseUrlFor,
  eventually,
  freePort,
  repositoryRoot,
  sendRequest,
  startChildService,
  type Answer,
  type ChildService,
  type SendOptions,
} from '@tonearm/testing';
import { pino } from 'pino';
import { startPrivateServices, type PrivateServices } from './private-services.ts';

const run = promisify(execFile);

/** Options of one request to the edge. */
export interface RequestOptions extends SendOptions {
  /** Another edge instance to send it to. */
  baseUrl?: string;
}

/** The platform as `npm start` runs it, on backing services of the suite's own. */
export interface SystemPlatform {
  edgeUrl: string;
  services: PrivateServices;
  /** A bus client of the suite, to read the streams and set live settings. */
  bus: Bus;
  /** The environment `npm start` was given: another app instance started with it joins the same platform. */
  env: Record<string, string>;
  request(method: string, path: string, options?: RequestOptions): Promise<Answer>;
  /** The process id of an app `npm start` runs. */
  appPid(app: string): Promise<number>;
  /** Starts one more instance of an app, the way `npm start` runs it, on a free ops port. */
  startInstance(app: string, env?: Record<string, string>): Promise<ChildService>;
  /** The last lines `npm start` printed. */
  output(): string;
  stop(): Promise<void>;
}

/** Waits for `npm start` to say the platform is up; rejects with its output when it exits first. */
function waitUntilUp(child: ChildProcess, lines: string[], timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`npm start not up in ${timeoutMs} ms:\n${lines.join('\n')}`)),
      timeoutMs,
    );
    const out = createInterface({ input: child.stdout! });
    const err = createInterface({ input: child.stderr! });
    const keep = (line: string) => {
      lines.push(line);
      if (lines.length > 400) lines.shift();
      if (line.includes('Tonearm is up on')) {
        clearTimeout(timer);
        resolve();
      }
    };
    out.on('line', keep);
    err.on('line', keep);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`npm start exited with ${code}:\n${lines.join('\n')}`));
    });
  });
}

/**
 * Starts private NATS, Redis, Postgres and S3, then the platform exactly as `npm start` does
 * (`node scripts/start.ts`) pointed at them, on a free edge port, web port and ops ports. The
 * live rate limits of sign-in are raised: every simulated client comes from 127.0.0.1.
 *
 * @example
 * const platform = await startSystemPlatform();
 * afterAll(() => platform.stop());
 */
export async function startSystemPlatform(options: { env?: Record<string, string> } = {}): Promise<SystemPlatform> {
  const services = await startPrivateServices();
  const edgePort = await freePort();
  const env: Record<string, string> = {
    ...services.env,
    EDGE_PORT: String(edgePort),
    WEB_PORT: String(await freePort()),
    IDENTITY_PORT: String(await freePort()),
    OPS_BASE_PORT: '0',
    EDGE_MEDIA_SECRET: randomBytes(32).toString('base64url'),
    // One edge process (npm start runs one per core by default), so the suite stays light and appPid finds it.
    EDGE_WORKERS: '1',
    // One job per transcoder process, so a second process takes the next job (the SIGKILL fault),
    // and a dead worker's job moves on after 10 s instead of a minute.
    TRANSCODER_CONCURRENCY: '1',
    TRANSCODER_ACK_WAIT_MS: '10000',
    LOG_LEVEL: 'warn',
    NO_COLOR: '1',
    ...options.env,
  };
  const bus = await connectBus({
    url: services.nats.url,
    namespace: 'tonearm',
    name: 'system-tests',
    logger: pino({ level: 'silent' }),
  });
  const lines: string[] = [];
  const extra: ChildService[] = [];
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  const stop = async () => {
    await Promise.all(extra.map((instance) => instance.stop('SIGTERM', 10_000)));
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const killer = setTimeout(() => child?.kill('SIGKILL'), 40_000);
    await exited;
    clearTimeout(killer);
    await bus.close().catch(() => undefined);
    await services.stop();
  };
  try {
    // A build that fails because another build in the same checkout rewrote its output is tried again.
    for (let attempt = 1; ; attempt++) {
      const started = spawn(process.execPath, ['scripts/start.ts'], {
        cwd: repositoryRoot,
        env: { ...process.env, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child = started;
      exited = new Promise<void>((resolve) => started.once('exit', () => resolve()));
      try {
        await waitUntilUp(started, lines, 240_000);
        break;
      } catch (error) {
        if (attempt >= 3 || !lines.some((line) => /the build failed|Tonearm did not start/.test(line))) throw error;
        await exited;
        lines.length = 0;
      }
    }
    const limits = {
      perAccount: { limit: 10_000, windowSeconds: 60 },
      perAddress: { limit: 10_000, windowSeconds: 60 },
    };
    // "Tonearm is up" means every app is healthy; the edge may find identity on the bus a moment later.
    const jwks = `http://127.0.0.1:${edgePort}/.well-known/jwks.json`;
    await eventually(
      () =>
        fetch(jwks).then(
          (answer) => answer.status,
          () => 0,
        ),
      (status) => status === 200,
      { timeoutMs: 30_000, intervalMs: 200 },
    );
    await putSetting(bus, 'ratelimit.login', limits);
    await putSetting(bus, 'ratelimit.auth', { limit: 10_000, windowSeconds: 60 });
  } catch (error) {
    await stop();
    throw error;
  }
  const edgeUrl = `http://127.0.0.1:${edgePort}`;
  return {
    edgeUrl,
    services,
    bus,
    env,
    request: (method, path, { baseUrl = edgeUrl, ...rest } = {}) => sendRequest(new URL(path, baseUrl), method, rest),
    async appPid(app) {
      const { stdout } = await run('ps', ['-o', 'pid=,args=', '--ppid', String(child?.pid)]);
      const line = stdout.split('\n').find((entry) => entry.includes(`apps/${app}/`));
      if (!line) throw new Error(`npm start runs no ${app}:\n${stdout}`);
      return Number(line.trim().split(/\s+/)[0]);
    },
    async startInstance(app, instanceEnv = {}) {
      // The database URLs npm start derives from DATABASE_URL, so the instance shares its service's data.
      const databases = Object.fromEntries(
        ['identity', 'ingest', 'catalog'].map((name) => [
          `${name.toUpperCase()}_DATABASE_URL`,
          databaseUrlFor(services.postgres.url, `tonearm_${name}`),
        ]),
      );
      const instance = await startChildService({ app, env: { ...env, ...databases, ...instanceEnv } });
      extra.push(instance);
      return instance;
    },
    output: () => lines.join('\n'),
    stop,
  };
}
