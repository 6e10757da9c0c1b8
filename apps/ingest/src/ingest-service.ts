import { consume } from '@tonearm/bus';
import type { CheckResult } from '@tonearm/runtime';
import { startService, type RunningService, type ServiceOptions } from '@tonearm/service-host';
import { createS3Client, ObjectStore, PresignedMultipart } from '@tonearm/storage';
import type pg from 'pg';
import packageJson from '../package.json' with { type: 'json' };
import { AudioProbeAdapter } from './adapters/audio-probe.adapter.ts';
import { TagReaderAdapter } from './adapters/tag-reader.adapter.ts';
import { ingestEnvShape } from './config/ingest-env.ts';
import { storageCleanupHandler } from './consumers/storage-cleanup.consumer.ts';
import { openDatabase } from './database/database.ts';
import { UploadSessionRepository } from './repositories/upload-session.repository.ts';
import { serveUploadRpcs } from './rpc/upload.rpc.ts';
import { UploadCompletionService } from './services/upload-completion.service.ts';
import { UploadSessionService } from './services/upload-session.service.ts';
import { UploadSweeperService } from './services/upload-sweeper.service.ts';

async function checkPostgres(pool: pg.Pool | undefined): Promise<CheckResult> {
  if (!pool) return { status: 'failing', detail: 'database not open yet' };
  try {
    await pool.query('SELECT 1');
    return { status: 'ok' };
  } catch (error) {
    return { status: 'failing', detail: error instanceof Error ? error.message : String(error) };
  }
}

/** A running ingest: the host service and its parts, reachable by tests. */
export interface Ingest {
  service: RunningService<typeof ingestEnvShape>;
  uploads: UploadSessionService;
  completion: UploadCompletionService;
  sweeper: UploadSweeperService;
  sessions: UploadSessionRepository;
  multipart: PresignedMultipart;
  store: ObjectStore;
}

/**
 * Starts ingest: the service host, its database (created and migrated), S3, the upload
 * operations, the storage-cleanup consumer and the periodic sweep.
 *
 * @example
 * const ingest = await startIngest({ ownsProcess: false, environment: { ...process.env, BUS_NAMESPACE: ns } });
 * await ingest.service.shutdown();
 */
export async function startIngest(
  options: Pick<ServiceOptions<typeof ingestEnvShape>, 'ownsProcess' | 'environment'> = {},
): Promise<Ingest> {
  let pool: pg.Pool | undefined;
  const service = await startService({
    name: 'ingest',
    version: packageJson.version,
    description: 'Upload sessions, presigned S3 URLs, tag extraction and content hashes',
    env: ingestEnvShape,
    healthChecks: { postgres: () => checkPostgres(pool) },
    ...options,
  });
  const { env, logger } = service;
  try {
    const database = await openDatabase(env.INGEST_DATABASE_URL);
    const { db } = database;
    pool = database.pool;
    service.onShutdown(() => database.pool.end());

    const client = createS3Client(env);
    const presignClient = env.S3_PUBLIC_ENDPOINT
      ? createS3Client({ ...env, S3_ENDPOINT: env.S3_PUBLIC_ENDPOINT })
      : client;
    service.onShutdown(() => {
      client.destroy();
      presignClient.destroy();
    });
    const store = new ObjectStore({ client, bucket: env.S3_BUCKET, keyPrefix: env.S3_KEY_PREFIX });
    const multipart = new PresignedMultipart({ store, presignClient, urlTtlSeconds: env.UPLOAD_URL_TTL_SECONDS });
    const sessions = new UploadSessionRepository(db);
    const completion = new UploadCompletionService({
      bus: service.bus,
      store,
      sessions,
      probe: new AudioProbeAdapter(env.FFPROBE_PATH),
      tags: new TagReaderAdapter(),
      logger,
      workDir: env.INGEST_WORK_DIR,
      concurrency: env.INGEST_CHECK_CONCURRENCY,
    });
    const uploads = new UploadSessionService({ sessions, multipart, completion, settings: service.settings, logger });
    const sweeper = new UploadSweeperService({
      sessions,
      multipart,
      completion,
      logger,
      staleAfterMs: env.UPLOAD_STALE_AFTER_MS,
      retryAfterMs: env.UPLOAD_CHECK_RETRY_AFTER_MS,
    });

    serveUploadRpcs(service, uploads);
    const cleanup = consume(service.bus, 'storage-cleanup', storageCleanupHandler({ multipart, sessions }));
    const sweep = () =>
      sweeper.sweep().catch((err: unknown) => logger.error({ err }, 'upload sweep failed; trying again later'));
    const timer = setInterval(() => void sweep(), env.UPLOAD_SWEEP_INTERVAL_MS);
    timer.unref();
    service.onShutdown(() => cleanup.stop());
    service.onShutdown(async () => {
      clearInterval(timer);
      await completion.idle();
    });
    await service.listening();
    logger.info('ingest ready');
    return { service, uploads, completion, sweeper, sessions, multipart, store };
  } catch (error) {
    logger.fatal({ err: error }, `ingest could not start: ${error instanceof Error ? error.message : error}`);
    await service.shutdown(1);
    throw error;
  }
}
