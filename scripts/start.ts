import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { serviceNames, type ServiceName } from '@tonearm/contracts';
import { ConfigError } from '@tonearm/runtime';
import { defaultOpsPorts } from '@tonearm/service-host';
import { mediaToolsEnv } from './lib/executables.ts';
import { appEntry, appIsRunnable, redactUrl, repositoryRoot, type AppEntry } from '@tonearm/testing';
import { opsPortsFor, plannedPorts, planApps, serviceDatabases } from './start/app-plan.ts';
import {
  describeExit,
  killApps,
  spawnApp,
  stopApps,
  waitUntilHealthy,
  waitForListening,
  type RunningApp,
} from './start/app-processes.ts';
import { runBuild, type BuildStep } from './start/build-step.ts';
import {
  composeUp,
  dockerEngineAnswers,
  ensureServiceDatabases,
  platformS3,
  waitForServices,
  type PlatformS3,
} from './start/local-services.ts';
import { createLinePrinter } from './start/output-lines.ts';
import { describePreflight, isLoopbackUrl, preflight, preflightPassed } from './start/preflight.ts';
import { readStartConfig, type StartConfig } from './start/start-config.ts';

/**
 * `npm start`: checks what the platform needs, starts what it can (docker compose, the local
 * S3 server, the service databases), builds, runs every app with its output behind its name,
 * and stops them all on Ctrl-C or SIGTERM.
 */
const root = repositoryRoot;
const printer = createLinePrinter(['tonearm', 'build', ...serviceNames], {
  color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
  write: (text) => process.stdout.write(text),
});
const say = (line: string) => printer.print('tonearm', line);

const state: {
  stopping: boolean;
  apps: RunningApp[];
  build?: BuildStep;
  s3?: PlatformS3;
  config?: StartConfig;
  opsPorts: Record<ServiceName, number>;
} = {
  stopping: false,
  apps: [],
  opsPorts: defaultOpsPorts,
};

process.on('exit', () => {
  killApps(state.apps);
  state.build?.child.kill('SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => void shutdown(0, `${signal} received`));
}

async function shutdown(code: number, reason: string): Promise<never> {
  if (state.stopping) {
    say(`still stopping (${reason})`);
    return new Promise<never>(() => undefined);
  }
  state.stopping = true;
  const grace = (state.config?.SHUTDOWN_TIMEOUT_MS ?? 25_000) + 5_000;
  say(`stopping: ${reason}`);
  state.build?.child.kill('SIGTERM');
  const exits = await stopApps(state.apps, grace);
  for (const [app, exit] of exits) {
    if (exit.code !== 0) say(`${app} ended with ${describeExit(exit)}`);
  }
  await state.s3?.local?.stop();
  say('stopped');
  process.exit(code);
}

/** Thrown once a failed start has begun stopping what it started, to unwind `main`. */
class StartAborted extends Error {}

function fail(message: string, code = 1): never {
  process.stderr.write(`${message}\n`);
  if (state.apps.length > 0 || state.s3?.local) {
    void shutdown(code, 'start-up failed');
    throw new StartAborted(message);
  }
  process.exit(code);
}

function showLastLines(app: RunningApp): void {
  const lines = app.recent.lines();
  process.stderr.write(`--- last ${lines.length} lines of ${app.plan.app} ---\n${lines.join('\n')}\n---\n`);
}

async function checkAndStartServices(config: StartConfig): Promise<void> {
  const ports = plannedPorts(config, serviceNames, { opsPorts: state.opsPorts, localS3: !config.S3_ENDPOINT });
  const report = await preflight(config, ports);
  if (preflightPassed(report)) return;
  const onlyServices = !report.tools && !report.s3 && report.takenPorts.length === 0;
  const startable = report.services.every((problem) => isLoopbackUrl(problem.url));
  const dockerAnswered = onlyServices && startable && (await dockerEngineAnswers());
  if (!dockerAnswered) fail(describePreflight(report, { dockerAnswered: false }));

  const missing = report.services.map((problem) => problem.service);
  say(`starting ${missing.join(', ')} with docker compose`);
  try {
    await composeUp(missing, root);
  } catch (error) {
    fail(`${describePreflight(report, { dockerAnswered: true })}\n- ${(error as Error).message}`);
  }
  const still = await waitForServices(config, 60_000);
  if (still.length > 0) fail(describePreflight({ ...report, services: still }, { dockerAnswered: true }));
}

function runnableApps(only: readonly ServiceName[] = serviceNames): AppEntry[] {
  const entries: AppEntry[] = [];
  for (const app of only) {
    const entry = appEntry(app, root);
    if (appIsRunnable(entry)) entries.push(entry);
    else say(`skipping ${app}: apps/${app}/${entry.script} does not exist (not written or not built yet)`);
  }
  return entries;
}

async function startApps(config: StartConfig, entries: AppEntry[], s3: PlatformS3): Promise<void> {
  const plans = planApps(
    entries.map((entry) => entry.app as ServiceName),
    config,
    {
      s3Env: s3.env,
      toolsEnv: mediaToolsEnv(process.env),
      databases: serviceDatabases(config),
      opsPorts: state.opsPorts,
    },
  );
  state.apps = plans.map((plan, index) => spawnApp(plan, entries[index]!, printer));
  const giveUp = new AbortController();
  const failures: { app: RunningApp; reason: string }[] = [];
  await Promise.allSettled(
    state.apps.map((app) =>
      waitUntilHealthy(app, config.START_TIMEOUT_MS, giveUp.signal).catch((error: unknown) => {
        if (giveUp.signal.aborted && !app.done()) return;
        failures.push({ app, reason: (error as Error).message });
        giveUp.abort(new Error(`${app.plan.app} failed`));
      }),
    ),
  );
  if (failures.length === 0 || state.stopping) return;
  for (const { app, reason } of failures) {
    process.stderr.write(`${app.plan.app} did not start: ${reason}\n`);
    showLastLines(app);
  }
  fail(`Tonearm did not start: ${failures.map(({ app }) => app.plan.app).join(', ')} failed (see above)`);
}

function watchForCrashes(): void {
  for (const app of state.apps) {
    void app.exited.then((exit) => {
      if (state.stopping) return;
      process.stderr.write(`${app.plan.app} exited unexpectedly (${describeExit(exit)})\n`);
      showLastLines(app);
      void shutdown(1, `${app.plan.app} exited`);
    });
  }
}

async function main(): Promise<void> {
  const envFile = join(root, '.env');
  if (existsSync(envFile)) process.loadEnvFile(envFile);
  let config: StartConfig;
  try {
    config = readStartConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) fail(`tonearm: ${error.message}`, 78);
    throw error;
  }
  state.config = config;
  state.opsPorts = await opsPortsFor(config, serviceNames, defaultOpsPorts);

  await checkAndStartServices(config);
  const created = await ensureServiceDatabases(config, serviceDatabases(config));
  if (created.length > 0) say(`created database ${created.join(', ')}`);

  say('building (nx run-many -t build)');
  state.build = runBuild(
    root,
    printer,
    config.START_APPS?.map((app) => `@tonearm/${app}`),
  );
  const built = await state.build.finished;
  state.build = undefined;
  if (state.stopping) return;
  if (built !== 0) fail(`tonearm: the build failed (nx exited with ${built}); see the build lines above`);

  const entries = runnableApps(config.START_APPS);
  if (entries.length === 0) fail('tonearm: no app can run yet (none has its entry file)');

  state.s3 = await platformS3(config, join(root, '.data', 's3'));
  if (state.s3.local) say(`local S3 on ${state.s3.local.endpoint}, bucket ${config.S3_BUCKET}, data in .data/s3`);

  say(`starting ${entries.map((entry) => entry.app).join(', ')}`);
  await startApps(config, entries, state.s3);
  if (state.stopping) return;
  watchForCrashes();

  for (const app of state.apps) say(`${app.plan.app.padEnd(10)} ops ${app.plan.opsUrl} (/healthz, /metrics)`);
  say(`NATS ${redactUrl(config.NATS_URL)}, Redis ${redactUrl(config.REDIS_URL)}, S3 ${redactUrl(state.s3.endpoint)}`);
  const edge = state.apps.some((app) => app.plan.app === 'edge');
  if (!edge) {
    say('Tonearm is up, but without the edge nothing answers publicly');
  } else if (config.EDGE_PORT === 0) {
    say('Tonearm is up (EDGE_PORT=0: the edge log says which port it took)');
  } else if (await waitForListening(config.EDGE_PORT, config.START_TIMEOUT_MS)) {
    say(`Tonearm is up on http://localhost:${config.EDGE_PORT}`);
  } else {
    fail(`tonearm: the edge is healthy but nothing listens on EDGE_PORT ${config.EDGE_PORT}`);
  }
  say('press Ctrl-C to stop');
}

await main().catch((error: unknown) => {
  if (error instanceof StartAborted) return;
  fail(`tonearm: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
});
