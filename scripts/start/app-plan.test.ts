import type { ServiceName } from '@tonearm/contracts';
import { describe, expect, it } from 'vitest';
import { opsPortsFor, plannedPorts, planApps, serviceDatabases } from './app-plan.ts';
import { readStartConfig } from './start-config.ts';

const opsPorts: Record<ServiceName, number> = {
  identity: 9101,
  ingest: 9102,
  transcoder: 9103,
  catalog: 9104,
  edge: 9105,
  web: 9106,
};
const s3Env = {
  S3_ENDPOINT: 'http://127.0.0.1:9000',
  S3_REGION: 'us-east-1',
  S3_BUCKET: 'tonearm',
  S3_ACCESS_KEY_ID: 'S3RVER',
  S3_SECRET_ACCESS_KEY: 'S3RVER',
};

describe('serviceDatabases', () => {
  it('puts each service in a database of its own next to DATABASE_URL, to be created', () => {
    const sut = serviceDatabases(readStartConfig({ DATABASE_URL: 'postgres://app:pw@db:5433/postgres' }));

    expect(sut).toEqual({
      identity: { url: 'postgres://app:pw@db:5433/tonearm_identity', create: true },
      ingest: { url: 'postgres://app:pw@db:5433/tonearm_ingest', create: true },
      catalog: { url: 'postgres://app:pw@db:5433/tonearm_catalog', create: true },
    });
  });

  it('uses a database URL given for the service as it is, without creating it', () => {
    const sut = serviceDatabases(readStartConfig({ IDENTITY_DATABASE_URL: 'postgres://id@auth-db/users' }));

    expect(sut.identity).toEqual({ url: 'postgres://id@auth-db/users', create: false });
    expect(sut.catalog.create).toBe(true);
  });
});

describe('planApps', () => {
  const config = readStartConfig({});
  const databases = serviceDatabases(config);

  it('gives every app its own ops port and URL', () => {
    const sut = planApps(['transcoder', 'edge'], config, { s3Env, databases, opsPorts });

    expect(sut.map(({ app, opsUrl, env }) => [app, opsUrl, env.OPS_PORT])).toEqual([
      ['transcoder', 'http://127.0.0.1:9103', '9103'],
      ['edge', 'http://127.0.0.1:9105', '9105'],
    ]);
  });

  it('passes the shared services and the S3 variables to every app', () => {
    const [sut] = planApps(['ingest'], config, { s3Env, databases, opsPorts });

    expect(sut!.env).toMatchObject({
      NATS_URL: 'nats://127.0.0.1:4222',
      REDIS_URL: 'redis://127.0.0.1:6379',
      S3_ENDPOINT: 'http://127.0.0.1:9000',
      S3_BUCKET: 'tonearm',
      S3_ACCESS_KEY_ID: 'S3RVER',
      EDGE_PORT: '8080',
      WEB_PORT: '3000',
    });
  });

  it('tells every app where the media tools are when they were found', () => {
    const toolsEnv = { FFMPEG_PATH: '/opt/bin/ffmpeg', FFPROBE_PATH: '/opt/bin/ffprobe' };

    const plans = planApps(['ingest', 'transcoder'], config, { s3Env, toolsEnv, databases, opsPorts });

    expect(plans.map((plan) => plan.env.FFMPEG_PATH)).toEqual(['/opt/bin/ffmpeg', '/opt/bin/ffmpeg']);
    expect(plans.map((plan) => plan.env.FFPROBE_PATH)).toEqual(['/opt/bin/ffprobe', '/opt/bin/ffprobe']);
  });

  it('leaves the S3 variables to the apps when the S3 is your own', () => {
    const [sut] = planApps(['ingest'], config, { s3Env: {}, databases, opsPorts });

    expect(Object.keys(sut!.env).filter((name) => name.startsWith('S3_'))).toEqual([]);
  });

  it('gives a database URL only to the service that owns the database', () => {
    const plans = planApps(['identity', 'ingest', 'catalog', 'edge'], config, { s3Env, databases, opsPorts });
    const databaseVariables = Object.fromEntries(
      plans.map((plan) => [plan.app, Object.keys(plan.env).filter((name) => name.endsWith('_DATABASE_URL'))]),
    );

    expect(databaseVariables).toEqual({
      identity: ['IDENTITY_DATABASE_URL'],
      ingest: ['INGEST_DATABASE_URL'],
      catalog: ['CATALOG_DATABASE_URL'],
      edge: [],
    });
    expect(plans[0]!.env.IDENTITY_DATABASE_URL).toBe(databases.identity.url);
  });
});

describe('plannedPorts', () => {
  it('lists the public ports, every ops port and the local S3 port', () => {
    const config = readStartConfig({});

    expect(plannedPorts(config, ['edge', 'web'], { opsPorts, localS3: true })).toEqual([
      { port: 8080, owner: 'edge (EDGE_PORT)' },
      { port: 3000, owner: 'web (WEB_PORT)' },
      { port: 9105, owner: 'edge ops server' },
      { port: 9106, owner: 'web ops server' },
      { port: 9000, owner: 'local S3 (LOCAL_S3_PORT)' },
    ]);
  });

  it('leaves out the local S3 port with an S3 of your own, and ports set to 0', () => {
    const config = readStartConfig({ WEB_PORT: '0' });

    expect(plannedPorts(config, [], { opsPorts, localS3: false })).toEqual([{ port: 8080, owner: 'edge (EDGE_PORT)' }]);
  });
});

describe('opsPortsFor', () => {
  const apps = Object.keys(opsPorts) as ServiceName[];

  it('keeps the defaults when OPS_BASE_PORT is unset', async () => {
    expect(await opsPortsFor({}, apps, opsPorts)).toEqual(opsPorts);
  });

  it('counts up from OPS_BASE_PORT in service order', async () => {
    const ports = await opsPortsFor({ OPS_BASE_PORT: 19100 }, apps, opsPorts);

    expect(apps.map((app) => ports[app])).toEqual([19100, 19101, 19102, 19103, 19104, 19105]);
  });

  it('takes a different free port for each app with OPS_BASE_PORT=0', async () => {
    const ports = await opsPortsFor({ OPS_BASE_PORT: 0 }, apps, opsPorts);

    expect(new Set(Object.values(ports)).size).toBe(apps.length);
    expect(Object.values(ports).every((port) => port > 0 && !Object.values(opsPorts).includes(port))).toBe(true);
  });
});
