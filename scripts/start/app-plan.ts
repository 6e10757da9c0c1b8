import type { ServiceName } from '@tonearm/contracts';
import { databaseUrlFor, freePort } from '@tonearm/testing';
import type { StartConfig } from './start-config.ts';

/** The databases of the services that own data, and whether `npm start` should create them. */
export interface ServiceDatabases {
  identity: { url: string; create: boolean };
  ingest: { url: string; create: boolean };
  catalog: { url: string; create: boolean };
}

/** One app to spawn: its environment on top of this process's, and where its ops server answers. */
export interface AppPlan {
  app: ServiceName;
  opsUrl: string;
  env: Record<string, string>;
}

/** A port something of the platform binds, with the variable that sets it. */
export interface PlannedPort {
  port: number;
  owner: string;
}

/**
 * The database of each data-owning service: the URL given for it, or one named
 * `tonearm_<service>` next to `DATABASE_URL` that `npm start` creates when missing.
 *
 * @example
 * serviceDatabases(config).identity.url; // 'postgres://postgres@127.0.0.1:5432/tonearm_identity'
 */
export function serviceDatabases(config: StartConfig): ServiceDatabases {
  const database = (given: string | undefined, name: string) =>
    given ? { url: given, create: false } : { url: databaseUrlFor(config.DATABASE_URL, name), create: true };
  return {
    identity: database(config.IDENTITY_DATABASE_URL, 'tonearm_identity'),
    ingest: database(config.INGEST_DATABASE_URL, 'tonearm_ingest'),
    catalog: database(config.CATALOG_DATABASE_URL, 'tonearm_catalog'),
  };
}

/**
 * The environment of each app: the shared services, the media tools found, its own ops port,
 * and its own database for the services that own one (no app gets another's database URL).
 *
 * @example
 * planApps(['edge', 'web'], config, { s3Env, databases: serviceDatabases(config), opsPorts: defaultOpsPorts });
 */
export function planApps(
  apps: readonly ServiceName[],
  config: StartConfig,
  resources: {
    s3Env: Record<string, string>;
    /** Where ffmpeg and ffprobe were found, unless FFMPEG_PATH / FFPROBE_PATH are set. */
    toolsEnv?: Record<string, string>;
    databases: ServiceDatabases;
    opsPorts: Record<ServiceName, number>;
  },
): AppPlan[] {
  const shared = {
    NATS_URL: config.NATS_URL,
    REDIS_URL: config.REDIS_URL,
    ...resources.s3Env,
    ...resources.toolsEnv,
    EDGE_PORT: String(config.EDGE_PORT),
    WEB_PORT: String(config.WEB_PORT),
    SHUTDOWN_TIMEOUT_MS: String(config.SHUTDOWN_TIMEOUT_MS),
    OPS_HOST: '127.0.0.1',
  };
  const own: Partial<Record<ServiceName, Record<string, string>>> = {
    identity: { IDENTITY_DATABASE_URL: resources.databases.identity.url },
    ingest: { INGEST_DATABASE_URL: resources.databases.ingest.url },
    catalog: { CATALOG_DATABASE_URL: resources.databases.catalog.url },
  };
  return apps.map((app) => {
    const opsPort = resources.opsPorts[app];
    return {
      app,
      opsUrl: `http://127.0.0.1:${opsPort}`,
      env: { ...shared, ...own[app], OPS_PORT: String(opsPort) },
    };
  });
}

/**
 * Every fixed port the platform will bind, so they can be checked before anything starts.
 * Port 0 (any free port) is left out.
 *
 * @example
 * plannedPorts(config, serviceNames, { opsPorts: defaultOpsPorts, localS3: !config.S3_ENDPOINT });
 */
export function plannedPorts(
  config: StartConfig,
  apps: readonly ServiceName[],
  options: { opsPorts: Record<ServiceName, number>; localS3: boolean },
): PlannedPort[] {
  const ports: PlannedPort[] = [
    { port: config.EDGE_PORT, owner: 'edge (EDGE_PORT)' },
    { port: config.WEB_PORT, owner: 'web (WEB_PORT)' },
    ...apps.map((app) => ({ port: options.opsPorts[app], owner: `${app} ops server` })),
  ];
  if (options.localS3) ports.push({ port: config.LOCAL_S3_PORT, owner: 'local S3 (LOCAL_S3_PORT)' });
  return ports.filter((entry) => entry.port !== 0);
}

/**
 * The ops port of each app: the defaults, or with `OPS_BASE_PORT` consecutive ports from it in
 * service order, or with `OPS_BASE_PORT=0` free ports (so a second platform, e.g. the system tests',
 * can run beside `npm start`).
 *
 * @example
 * await opsPortsFor(config, serviceNames, defaultOpsPorts);
 */
export async function opsPortsFor(
  config: Pick<StartConfig, 'OPS_BASE_PORT'>,
  apps: readonly ServiceName[],
  defaults: Record<ServiceName, number>,
): Promise<Record<ServiceName, number>> {
  const base = config.OPS_BASE_PORT;
  if (base === undefined) return defaults;
  const ports = { ...defaults };
  for (const [index, app] of apps.entries()) ports[app] = base === 0 ? await freePort() : base + index;
  return ports;
}
