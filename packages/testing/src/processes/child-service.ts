import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { appEntry, repositoryRoot } from './app-entry.ts';
import { freePort } from './free-port.ts';
import { waitForHealthy } from './wait-for-healthy.ts';

/** Options of {@link startChildService}. */
export interface ChildServiceOptions {
  /** The app under `apps/`, e.g. `transcoder`. */
  app: string;
  /** Added to (and overriding) this process's environment; `undefined` removes a variable. */
  env?: Record<string, string | undefined>;
  /** Another file to run instead of the app's start script's (relative to `cwd`, or absolute). */
  script?: string;
  /** Working directory: the app's directory by default, the script's with an absolute `script`. */
  cwd?: string;
  /** How long the app may take to answer 200 on `/healthz` (default 30 s). */
  readyTimeoutMs?: number;
}

/** An app running as a child process of the test. */
export interface ChildService extends AsyncDisposable {
  /** Base URL of its ops server, e.g. `http://127.0.0.1:41234`. */
  opsUrl: string;
  process: ChildProcess;
  /** Resolves with the exit code once it has exited (`null` when a signal ended it). */
  exited: Promise<number | null>;
  /** Everything it has written to stdout and stderr so far. */
  output(): string;
  /**
   * Sends the signal (SIGTERM by default), waits for the exit and resolves with the code;
   * sends SIGKILL when it has not exited after `timeoutMs` (default 30 s).
   */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<number | null>;
}

const maxOutputChars = 1_000_000;

/**
 * Starts an app the way `npm start` does (`node <entry>` from its directory) on a free ops
 * port, and resolves once `GET <opsUrl>/healthz` answers 200. Rejects with the app's output
 * when it exits or stays unhealthy first.
 *
 * @example
 * const transcoder = await startChildService({ app: 'transcoder', env: { BUS_NAMESPACE: namespace } });
 * afterAll(() => transcoder.stop());
 * expect(await transcoder.stop('SIGTERM')).toBe(0);
 */
export async function startChildService(options: ChildServiceOptions): Promise<ChildService> {
  const entry = options.script
    ? {
        cwd: isAbsolute(options.script) ? dirname(options.script) : repositoryRoot,
        nodeOptions: [],
        script: options.script,
        args: [],
      }
    : appEntry(options.app);
  const cwd = options.cwd ?? entry.cwd;
  const script = resolve(cwd, entry.script);
  if (!existsSync(script)) {
    throw new Error(
      `${options.app} cannot start: ${relative(repositoryRoot, script)} does not exist (not written yet, or not built: npm run build -w @tonearm/${options.app})`,
    );
  }
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    // The edge runs one worker per core by default; tests keep one process unless they set EDGE_WORKERS.
    ...(options.app === 'edge' ? { EDGE_WORKERS: '1' } : {}),
    OPS_HOST: '127.0.0.1',
    OPS_PORT: String(port),
  };
  for (const [name, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  const opsUrl = `http://127.0.0.1:${env.OPS_PORT}`;
  const child = spawn(process.execPath, [...entry.nodeOptions, script, ...entry.args], {
    cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });

  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString('utf8');
    if (output.length > maxOutputChars) output = output.slice(-maxOutputChars);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);

  const exited = new Promise<number | null>((resolve) => {
    child.once('error', (error) => {
      collect(Buffer.from(`${error.message}\n`));
      resolve(null);
    });
    child.once('close', (code) => resolve(code));
  });

  const stop = async (signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 30_000) => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    }
    return exited;
  };

  const exitedEarly = new AbortController();
  void exited.then((code) => exitedEarly.abort(new Error(`${options.app} exited with code ${code}`)));
  try {
    await waitForHealthy(`${opsUrl}/healthz`, {
      timeoutMs: options.readyTimeoutMs ?? 30_000,
      signal: exitedEarly.signal,
    });
  } catch (error) {
    await stop('SIGKILL');
    const why = error instanceof Error ? error.message : String(error);
    throw new Error(`${options.app} did not become healthy: ${why}\n--- output of ${options.app} ---\n${output}`, {
      cause: error,
    });
  }

  return {
    opsUrl,
    process: child,
    exited,
    output: () => output,
    stop,
    [Symbol.asyncDispose]: () => stop().then(() => undefined),
  };
}
