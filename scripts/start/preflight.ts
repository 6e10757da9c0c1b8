import {
  backingServiceHints,
  isPortFree,
  probeNats,
  probePostgres,
  probeRedis,
  redactUrl,
  type BackingService,
  type ProbeResult,
} from '@tonearm/testing';
import { missingMediaTools } from '../lib/executables.ts';
import type { PlannedPort } from './app-plan.ts';
import type { StartConfig } from './start-config.ts';

/** A backing service that did not answer. */
export interface ServiceProblem {
  service: BackingService;
  url: string;
  reason: string;
}

/** Everything found wrong before anything was started. */
export interface PreflightReport {
  /** How to install missing media tools, when some are missing. */
  tools: string | undefined;
  services: ServiceProblem[];
  /** Why the S3 endpoint of `S3_ENDPOINT` does not answer, when it does not. */
  s3: string | undefined;
  takenPorts: PlannedPort[];
}

const probes: Record<BackingService, (url: string, options: { timeoutMs: number }) => Promise<ProbeResult>> = {
  nats: probeNats,
  postgres: probePostgres,
  redis: probeRedis,
};

/** The URL of each backing service in the configuration. */
export function backingServiceUrls(config: StartConfig): Record<BackingService, string> {
  return { nats: config.NATS_URL, postgres: config.DATABASE_URL, redis: config.REDIS_URL };
}

/**
 * The backing services that do not answer (NATS must answer JetStream API requests).
 *
 * @example
 * const missing = await unreachableServices(config);
 */
export async function unreachableServices(config: StartConfig, timeoutMs = 2_000): Promise<ServiceProblem[]> {
  const urls = backingServiceUrls(config);
  const results = await Promise.all(
    (Object.keys(urls) as BackingService[]).map(async (service) => {
      const result = await probes[service](urls[service], { timeoutMs });
      return result.ok ? [] : [{ service, url: urls[service], reason: result.reason }];
    }),
  );
  return results.flat();
}

async function s3Problem(endpoint: string | undefined): Promise<string | undefined> {
  if (!endpoint) return undefined;
  try {
    const response = await fetch(endpoint, { method: 'HEAD', signal: AbortSignal.timeout(2_000) });
    await response.body?.cancel();
    return undefined;
  } catch (error) {
    const cause =
      error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error);
    return `S3 does not answer at ${redactUrl(endpoint)} (S3_ENDPOINT): ${cause}`;
  }
}

/**
 * Checks, all at once and within a few seconds, what `npm start` needs before it starts
 * anything: ffmpeg and ffprobe, NATS with JetStream, Postgres, Redis, the S3 endpoint when one
 * is configured, and that every port the platform binds is free.
 *
 * @example
 * const report = await preflight(config, plannedPorts(config, serviceNames, options));
 */
export async function preflight(config: StartConfig, ports: readonly PlannedPort[]): Promise<PreflightReport> {
  const [services, s3, portsFree] = await Promise.all([
    unreachableServices(config),
    s3Problem(config.S3_ENDPOINT),
    Promise.all(ports.map((entry) => isPortFree(entry.port))),
  ]);
  return {
    tools: missingMediaTools(),
    services,
    s3,
    takenPorts: ports.filter((_, index) => !portsFree[index]),
  };
}

/** Whether a URL points at this machine, where `docker compose` can start the service. */
export function isLoopbackUrl(url: string): boolean {
  try {
    return ['localhost', '127.0.0.1', '[::1]'].includes(new URL(url).hostname);
  } catch {
    return false;
  }
}

/**
 * The message for a person: each problem with what to install, start or change.
 * `dockerTried` says whether starting the services with docker compose was attempted.
 *
 * @example
 * console.error(describePreflight(report, { docker: false }));
 */
export function describePreflight(report: PreflightReport, options: { dockerAnswered: boolean }): string {
  const lines: string[] = [];
  if (report.tools) lines.push(`- ${report.tools}`);
  for (const problem of report.services) {
    const hint = backingServiceHints[problem.service];
    lines.push(
      `- ${hint.label} does not answer at ${redactUrl(problem.url)} (${hint.variable}): ${problem.reason}`,
      `    install ${hint.install}, then start it, e.g.:`,
      ...hint.start.map((command) => `      ${command}`),
      `    or set ${hint.variable} to a running one${options.dockerAnswered ? '' : ' (with a Docker engine running, npm start runs docker compose for you)'}`,
    );
  }
  if (report.s3) lines.push(`- ${report.s3}`, '    or leave S3_ENDPOINT unset to use the built-in local S3 server');
  for (const taken of report.takenPorts) {
    lines.push(
      `- port ${taken.port} for the ${taken.owner} is in use: stop what uses it (is Tonearm already running?)`,
    );
  }
  return lines.length ? `Tonearm cannot start yet:\n${lines.join('\n')}` : '';
}

/** Whether the report lists nothing wrong. */
export function preflightPassed(report: PreflightReport): boolean {
  return !report.tools && report.services.length === 0 && !report.s3 && report.takenPorts.length === 0;
}
