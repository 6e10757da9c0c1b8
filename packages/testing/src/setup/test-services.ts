import { CreateBucketCommand, HeadBucketCommand } from '@aws-sdk/client-s3';
import { startServiceContainer, type ServiceContainer } from '../containers/service-containers.ts';
import { describeMissingService, type BackingService } from '../probes/service-hints.ts';
import { probeNats, probePostgres, probeRedis, type ProbeResult } from '../probes/service-probes.ts';
import { localS3Credentials, localS3Region, startLocalS3, type LocalS3 } from '../s3/local-s3-server.ts';
import { createS3Client, defaultTestBucket, s3Settings, type S3Settings } from '../s3/s3-test-client.ts';
import { serviceUrls, type ServiceUrls } from '../service-urls.ts';

/** The services of one test run, ready, and what to set in the environment to reach them. */
export interface TestServices {
  services: ServiceUrls;
  s3: S3Settings;
  /** Variables that point at what was found or started (`NATS_URL`, `S3_ENDPOINT`, ...). */
  env: Record<string, string>;
  /** Stops what was started for the run (local S3, containers); leaves found services alone. */
  stop(): Promise<void>;
}

/** Options of {@link prepareTestServices}. */
export interface PrepareTestServicesOptions {
  /** Where to read `NATS_URL`, `DATABASE_URL`, `REDIS_URL`, `S3_*` from (not modified). */
  env?: NodeJS.ProcessEnv;
  /** Starts a missing service; testcontainers by default. */
  startContainer?: (service: BackingService) => Promise<ServiceContainer>;
}

const backing: Record<BackingService, { variable: string; probe: (url: string) => Promise<ProbeResult> }> = {
  nats: { variable: 'NATS_URL', probe: probeNats },
  postgres: { variable: 'DATABASE_URL', probe: probePostgres },
  redis: { variable: 'REDIS_URL', probe: probeRedis },
};

function urlOf(urls: ServiceUrls, service: BackingService): string {
  return { nats: urls.natsUrl, postgres: urls.databaseUrl, redis: urls.redisUrl }[service];
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function ensureBucket(settings: S3Settings): Promise<void> {
  const client = createS3Client(settings);
  try {
    await client.send(new HeadBucketCommand({ Bucket: settings.bucket })).catch(async () => {
      await client.send(new CreateBucketCommand({ Bucket: settings.bucket }));
    });
  } catch (error) {
    throw new Error(
      `S3 at ${settings.endpoint} (S3_ENDPOINT) refuses bucket ${settings.bucket} (S3_BUCKET): ${messageOf(error)}`,
      { cause: error },
    );
  } finally {
    client.destroy();
  }
}

/**
 * Makes sure NATS (with JetStream), Postgres and Redis answer where the environment says,
 * starting a container for a missing one when a container engine is reachable, and fails
 * with one message naming every missing service and how to start it otherwise. Without
 * `S3_ENDPOINT` it starts s3rver on a free loopback port over a temporary directory.
 *
 * @example
 * const run = await prepareTestServices();
 * Object.assign(process.env, run.env);
 * await run.stop();
 */
export async function prepareTestServices(options: PrepareTestServicesOptions = {}): Promise<TestServices> {
  const env = options.env ?? process.env;
  const startContainer = options.startContainer ?? startServiceContainer;
  const containers: ServiceContainer[] = [];
  let localS3: LocalS3 | undefined;
  const stop = async () => {
    await localS3?.stop();
    await Promise.allSettled(containers.map((container) => container.stop()));
  };
  const found: Record<string, string> = {};

  const ensure = async (service: BackingService) => {
    const url = urlOf(serviceUrls(env), service);
    const first = await backing[service].probe(url);
    if (first.ok) return;
    let container: ServiceContainer;
    try {
      container = await startContainer(service);
    } catch (error) {
      throw new Error(
        `${describeMissingService(service, url, first.reason)}\n  (no container either: ${messageOf(error)})`,
        { cause: error },
      );
    }
    containers.push(container);
    const second = await backing[service].probe(container.url);
    if (!second.ok) throw new Error(describeMissingService(service, container.url, second.reason));
    found[backing[service].variable] = container.url;
  };

  try {
    const results = await Promise.allSettled((['nats', 'postgres', 'redis'] as const).map(ensure));
    const failures = results.flatMap((result) => (result.status === 'rejected' ? [messageOf(result.reason)] : []));
    if (failures.length > 0) throw new Error(`Integration tests need these services:\n${failures.join('\n')}`);

    if (!env.S3_ENDPOINT) {
      const bucket = env.S3_BUCKET ?? defaultTestBucket;
      localS3 = await startLocalS3({ buckets: [bucket] });
      Object.assign(found, {
        S3_ENDPOINT: localS3.endpoint,
        S3_REGION: localS3Region,
        S3_BUCKET: bucket,
        S3_ACCESS_KEY_ID: localS3Credentials.accessKeyId,
        S3_SECRET_ACCESS_KEY: localS3Credentials.secretAccessKey,
      });
    }
    const s3 = s3Settings({ ...env, ...found });
    Object.assign(found, { S3_REGION: s3.region, S3_BUCKET: s3.bucket });
    await ensureBucket(s3);
    return { services: serviceUrls({ ...env, ...found }), s3, env: found, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
