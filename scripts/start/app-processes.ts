import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { waitForHealthy, type AppEntry } from '@tonearm/testing';
import type { AppPlan } from './app-plan.ts';
import { RecentLines, type LinePrinter } from './output-lines.ts';

/** How an app process ended. */
export interface AppExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** An app spawned by `npm start`. */
export interface RunningApp {
  plan: AppPlan;
  child: ChildProcess;
  recent: RecentLines;
  /** Settles once the process has exited and its output is read. */
  exited: Promise<AppExit>;
  /** Whether it has exited. */
  done(): boolean;
}

/**
 * Spawns an app with node (no npm in between, so signals reach it), in a process group of its
 * own so a terminal's Ctrl-C reaches only `npm start`, which then stops the apps in order.
 * Every output line goes to the printer behind the app's name.
 *
 * @example
 * const app = spawnApp(plan, appEntry(plan.app), printer);
 */
export function spawnApp(plan: AppPlan, entry: AppEntry, printer: LinePrinter): RunningApp {
  const env: NodeJS.ProcessEnv = { ...process.env, ...plan.env };
  const child = spawn(process.execPath, [...entry.nodeOptions, join(entry.cwd, entry.script), ...entry.args], {
    cwd: entry.cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const recent = new RecentLines(30);
  const streamsClosed = [child.stdout, child.stderr].map((stream) => {
    const lines = createInterface({ input: stream!, crlfDelay: Infinity });
    lines.on('line', (line) => {
      recent.push(line);
      printer.print(plan.app, line);
    });
    return new Promise<void>((resolve) => lines.once('close', resolve));
  });
  let finished = false;
  const exited = new Promise<AppExit>((resolve) => {
    child.once('error', (error) => {
      recent.push(error.message);
      printer.print(plan.app, error.message);
      finished = true;
      resolve({ code: null, signal: null });
    });
    child.once('exit', (code, signal) => {
      finished = true;
      void Promise.all(streamsClosed).then(() => resolve({ code, signal }));
    });
  });
  return { plan, child, recent, exited, done: () => finished };
}

/**
 * Waits until the app's ops server answers 200 on /healthz; rejects when it exits first or
 * the time is up.
 *
 * @example
 * await waitUntilHealthy(app, 60_000);
 */
export async function waitUntilHealthy(app: RunningApp, timeoutMs: number, signal?: AbortSignal): Promise<void> {
  const gone = new AbortController();
  void app.exited.then((exit) => gone.abort(new Error(`${app.plan.app} exited (${describeExit(exit)})`)));
  const signals = signal ? AbortSignal.any([gone.signal, signal]) : gone.signal;
  await waitForHealthy(`${app.plan.opsUrl}/healthz`, { timeoutMs, intervalMs: 200, signal: signals });
}

/** `code 1`, `signal SIGKILL`. */
export function describeExit(exit: AppExit): string {
  return exit.signal ? `signal ${exit.signal}` : `code ${exit.code}`;
}

/**
 * Sends SIGTERM to every app still running and waits for all to exit; an app still running
 * after `timeoutMs` gets SIGKILL. Resolves with how each one ended.
 *
 * @example
 * await stopApps(apps, 30_000);
 */
export async function stopApps(apps: readonly RunningApp[], timeoutMs: number): Promise<Map<string, AppExit>> {
  const running = apps.filter((app) => !app.done());
  for (const app of running) app.child.kill('SIGTERM');
  const timer = setTimeout(() => {
    for (const app of running) if (!app.done()) app.child.kill('SIGKILL');
  }, timeoutMs);
  try {
    const exits = await Promise.all(apps.map(async (app) => [app.plan.app, await app.exited] as const));
    return new Map(exits);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Sends SIGKILL to every app still running, synchronously: for when `npm start` itself is
 * about to exit and must not leave orphans behind.
 */
export function killApps(apps: readonly RunningApp[]): void {
  for (const app of apps) if (!app.done()) app.child.kill('SIGKILL');
}

/**
 * Waits until something accepts TCP connections on the port (a public port can open after
 * the app's ops server reports healthy); resolves false when the time is up.
 *
 * @example
 * await waitForListening(8080, 10_000);
 */
export async function waitForListening(port: number, timeoutMs: number, host = '127.0.0.1'): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (true) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect({ port, host, timeout: 1_000 });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
      socket.once('timeout', () => {
        socket.destroy();
        resolve(false);
      });
    });
    if (open) return true;
    if (Date.now() >= deadline) return false;
    await sleep(100);
  }
}
