import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chown, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { freePort, repositoryRoot } from '@tonearm/testing';

const run = promisify(execFile);

/** A backing service of the system tests' own: stopped and started again on the same port and data. */
export interface PrivateService {
  name: string;
  url: string;
  /** Environment variables that point the platform at it. */
  env: Record<string, string>;
  start(): Promise<void>;
  /** Stops it the hard way (SIGKILL) or cleanly; its data stays for the next start. */
  stop(how?: 'kill' | 'clean'): Promise<void>;
  running(): boolean;
}

/** Resolves once something accepts TCP connections on the port; rejects after `timeoutMs`. */
export async function waitForPort(port: number, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect({ port, host: '127.0.0.1' });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on port ${port} after ${timeoutMs} ms`);
    await sleep(100);
  }
}

/** A service run as a child process of this one; `args` is the whole command line. */
function childService(
  name: string,
  port: number,
  command: string,
  args: string[],
  options: {
    url: string;
    env: Record<string, string>;
    cleanStop?: (child: ChildProcess) => Promise<void>;
    user?: { uid: number; gid: number };
  },
): PrivateService {
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  let output = '';
  return {
    name,
    url: options.url,
    env: options.env,
    async start() {
      const started = spawn(command, args, { cwd: repositoryRoot, stdio: ['ignore', 'pipe', 'pipe'], ...options.user });
      child = started;
      const keep = (chunk: Buffer) => void (output = (output + chunk.toString()).slice(-4000));
      started.stdout!.on('data', keep);
      started.stderr!.on('data', keep);
      exited = new Promise((resolve) => started.once('exit', () => resolve()));
      started.once('error', (error) => void (output += error.message));
      await Promise.race([
        waitForPort(port),
        exited.then(() => Promise.reject(new Error(`${name} exited at start: ${output}`))),
      ]);
    },
    async stop(how = 'kill') {
      const current = child;
      if (!current || current.exitCode !== null || current.signalCode !== null) return;
      if (how === 'clean' && options.cleanStop) await options.cleanStop(current);
      else current.kill(how === 'kill' ? 'SIGKILL' : 'SIGTERM');
      await exited;
    },
    running: () => Boolean(child && child.exitCode === null && child.signalCode === null),
  };
}

/** A private NATS server with JetStream, its store in `directory`. */
export async function privateNats(directory: string): Promise<PrivateService> {
  const port = await freePort();
  const url = `nats://127.0.0.1:${port}`;
  const args = ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', join(directory, 'nats')];
  return childService('NATS', port, process.env.NATS_SERVER_PATH ?? '/usr/sbin/nats-server', args, {
    url,
    env: { NATS_URL: url },
  });
}

/** A private Redis that saves its data when stopped cleanly (`SHUTDOWN SAVE`), so sessions survive a restart. */
export async function privateRedis(directory: string): Promise<PrivateService> {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  const dir = join(directory, 'redis');
  await mkdir(dir, { recursive: true });
  const args = ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no', '--dir', dir];
  return childService('Redis', port, 'redis-server', args, {
    url,
    env: { REDIS_URL: url },
    cleanStop: async () => void (await run('redis-cli', ['-p', String(port), 'shutdown', 'save'])),
  });
}

/** The bin folder of the newest PostgreSQL server installed (Debian layout). */
async function postgresBin(): Promise<string> {
  const versions = (await readdir('/usr/lib/postgresql')).sort((a, b) => Number(b) - Number(a));
  if (versions.length === 0) throw new Error('no PostgreSQL server under /usr/lib/postgresql');
  return join('/usr/lib/postgresql', versions[0]!, 'bin');
}

/** The uid and gid of the `postgres` user. */
async function postgresUser(): Promise<{ uid: number; gid: number }> {
  const [uid, gid] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/**
 * A private PostgreSQL cluster (trust auth, no fsync) made with initdb. As root it runs as the
 * `postgres` user, since PostgreSQL refuses to run as root.
 */
export async function privatePostgres(directory: string): Promise<PrivateService> {
  const port = await freePort();
  const bin = await postgresBin();
  const data = join(directory, 'postgres');
  await mkdir(data, { recursive: true });
  const user = process.getuid?.() === 0 ? await postgresUser() : undefined;
  if (user) {
    await chown(directory, user.uid, user.gid);
    await chown(data, user.uid, user.gid);
  }
  await run(join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync'], { ...user, cwd: data });
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const args = ['-D', data, '-p', String(port), '-k', data];
  const settings = ['listen_addresses=127.0.0.1', 'fsync=off', 'max_connections=200'];
  return childService('Postgres', port, join(bin, 'postgres'), [...args, ...settings.flatMap((s) => ['-c', s])], {
    url,
    env: { DATABASE_URL: url },
    // SIGINT is PostgreSQL's fast shutdown; a SIGKILLed postmaster leaves backends that block a restart.
    cleanStop: async (child) => void child.kill('SIGINT'),
    user,
  });
}
/** The local S3 server `npm start` uses (s3rver), as a child process with its objects in `directory`. */
export async function privateS3(directory: string, bucket: string): Promise<PrivateService> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const script = join(repositoryRoot, 'test/system/support/s3-server.ts');
  const args = [script, String(port), join(directory, 's3'), bucket];
  return childService('S3', port, process.execPath, args, {
    url,
    env: {
      S3_ENDPOINT: url,
      S3_REGION: 'us-east-1',
      S3_BUCKET: bucket,
      S3_ACCESS_KEY_ID: 'S3RVER',
      S3_SECRET_ACCESS_KEY: 'S3RVER',
    },
  });
}

/** NATS, Redis, Postgres and S3 of the system tests' own, in one temporary directory. */
export interface PrivateServices {
  nats: PrivateService;
  redis: PrivateService;
  postgres: PrivateService;
  s3: PrivateService;
  env: Record<string, string>;
  stop(): Promise<void>;
}

/**
 * Starts the four backing services on free ports, never touching the shared ones.
 *
 * @example
 * const services = await startPrivateServices();
 * await services.redis.stop('clean'); await services.redis.start();
 */
export async function startPrivateServices(): Promise<PrivateServices> {
  const directory = await mkdtemp(join(tmpdir(), 'tonearm-system-'));
  const all = await Promise.all([
    privateNats(directory),
    privateRedis(directory),
    privatePostgres(directory),
    privateS3(directory, 'tonearm'),
  ]);
  const [nats, redis, postgres, s3] = all;
  const stop = async () => {
    await Promise.all(all.map((service) => service.stop('clean')));
    await rm(directory, { recursive: true, force: true });
  };
  try {
    await Promise.all(all.map((service) => service.start()));
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    nats: nats!,
    redis: redis!,
    postgres: postgres!,
    s3: s3!,
    env: Object.assign({}, ...all.map((service) => service.env)) as Record<string, string>,
    stop,
  };
}
