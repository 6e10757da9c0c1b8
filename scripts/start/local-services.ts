import { execFile, spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  ensureDatabase,
  localS3Credentials,
  localS3Region,
  redactUrl,
  startLocalS3,
  type BackingService,
  type LocalS3,
} from '@tonearm/testing';
import type { ServiceDatabases } from './app-plan.ts';
import { unreachableServices, type ServiceProblem } from './preflight.ts';
import type { StartConfig } from './start-config.ts';

/**
 * Whether a Docker engine answers (`docker info` exits 0) within the time given. A `docker`
 * client alone proves nothing: it is often installed without an engine.
 *
 * @example
 * if (await dockerEngineAnswers()) await composeUp(['redis']);
 */
export function dockerEngineAnswers(timeoutMs = 3_000): Promise<boolean> {
  return new Promise((resolve) => {
    execFile('docker', ['info', '--format', '{{.ServerVersion}}'], { timeout: timeoutMs }, (error) => resolve(!error));
  });
}

/**
 * Runs `docker compose up -d <services>` in the repository (docker-compose.yml), with its output
 * on this terminal.
 *
 * @example
 * await composeUp(['nats', 'postgres'], repositoryRoot);
 */
export function composeUp(services: readonly BackingService[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('docker', ['compose', 'up', '-d', ...services], { cwd, stdio: 'inherit' });
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`docker compose up -d ${services.join(' ')} exited with ${code}`)),
    );
  });
}

/**
 * Waits until every backing service answers, and resolves with those that still do not when
 * the time is up.
 *
 * @example
 * const still = await waitForServices(config, 60_000);
 */
export async function waitForServices(config: StartConfig, timeoutMs: number): Promise<ServiceProblem[]> {
  const deadline = Date.now() + timeoutMs;
  while (true) {
    const missing = await unreachableServices(config, 1_000);
    if (missing.length === 0 || Date.now() >= deadline) return missing;
    await sleep(500);
  }
}

/**
 * Creates the per-service databases `npm start` manages when they do not exist yet, as the
 * user of `DATABASE_URL`, and answers the names of those it created.
 *
 * @example
 * await ensureServiceDatabases(config, serviceDatabases(config));
 */
export async function ensureServiceDatabases(config: StartConfig, databases: ServiceDatabases): Promise<string[]> {
  const created: string[] = [];
  for (const database of Object.values(databases)) {
    if (!database.create) continue;
    const name = decodeURIComponent(new URL(database.url).pathname.slice(1));
    try {
      if (await ensureDatabase(config.DATABASE_URL, name)) created.push(name);
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      throw new Error(`cannot create database ${name} on ${redactUrl(config.DATABASE_URL)} (DATABASE_URL): ${why}`, {
        cause: error,
      });
    }
  }
  return created;
}

/** The S3 the apps use: the configured one, or a local server this process runs. */
export interface PlatformS3 {
  /** Where it is, for messages. */
  endpoint: string;
  /** `S3_*` variables to give the apps (none when they read the configured ones themselves). */
  env: Record<string, string>;
  /** The local server, when one was started. */
  local: LocalS3 | undefined;
}

/**
 * The S3 of the platform. Without `S3_ENDPOINT`, starts the built-in S3 server on
 * `LOCAL_S3_PORT` with its data under `directory` (kept between runs) and the bucket created,
 * and answers the `S3_*` variables that point the apps at it.
 *
 * @example
 * const s3 = await platformS3(config, '.data/s3');
 * await s3.local?.stop();
 */
export async function platformS3(config: StartConfig, directory: string): Promise<PlatformS3> {
  if (config.S3_ENDPOINT) return { local: undefined, endpoint: config.S3_ENDPOINT, env: {} };
  const local = await startLocalS3({ port: config.LOCAL_S3_PORT, directory, buckets: [config.S3_BUCKET] });
  return {
    local,
    endpoint: local.endpoint,
    env: {
      S3_ENDPOINT: local.endpoint,
      S3_REGION: localS3Region,
      S3_BUCKET: config.S3_BUCKET,
      S3_ACCESS_KEY_ID: localS3Credentials.accessKeyId,
      S3_SECRET_ACCESS_KEY: localS3Credentials.secretAccessKey,
    },
  };
}
