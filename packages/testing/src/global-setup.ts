import type { TestProject } from 'vitest/node';
import { buildApps } from './app-builds/build-apps.ts';
import type { S3Settings } from './s3/s3-test-client.ts';
import type { ServiceUrls } from './service-urls.ts';
import { prepareTestServices } from './setup/test-services.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The S3 server and test bucket of this run (also in `process.env.S3_*`). */
    s3: S3Settings;
    /** The NATS, Postgres and Redis of this run (also in `process.env`). */
    services: ServiceUrls;
  }
}

/**
 * Global setup of the integration project: the apps' builds ({@link buildApps}) and
 * {@link prepareTestServices} before any test runs, and the local S3 server and any containers
 * stopped after the last one.
 *
 * Tests can read the result two ways: `process.env` (`NATS_URL`, `DATABASE_URL`, `REDIS_URL`,
 * `S3_ENDPOINT`, `S3_REGION`, `S3_BUCKET`, `S3_ACCESS_KEY_ID`, `S3_SECRET_ACCESS_KEY`; set here
 * before the test workers start, so they and the apps they spawn inherit it, and what
 * `serviceUrls()` and `testS3()` read) or `inject('services')` / `inject('s3')` from vitest.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  buildApps();
  const run = await prepareTestServices();
  Object.assign(process.env, run.env);
  project.provide('services', run.services);
  project.provide('s3', run.s3);
  return run.stop;
}
