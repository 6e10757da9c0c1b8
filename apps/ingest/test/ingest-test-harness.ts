import type { Bus } from '@tonearm/bus';
import { callRpc } from '@tonearm/bus';
import {
  completeUploadRpc,
  createUploadRpc,
  type EventOf,
  type Principal,
  type RpcDefinition,
} from '@tonearm/contracts';
import {
  createIsolatedDatabase,
  isolatedName,
  isolatedNamespace,
  s3Settings,
  type IsolatedDatabase,
} from '@tonearm/testing';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { z } from 'zod';
import { connectTestBus, removeNamespace, storedMessages } from '../../../packages/bus/test/bus-test-helper.ts';
import { startMotoS3, type MotoS3 } from '../../../packages/storage/src/test-support/moto-s3-server.ts';
import { startIngest, type Ingest } from '../src/ingest-service.ts';

/** An outcome event of an upload. */
export type UploadOutcome = EventOf<'ingest.upload.completed.v1'> | EventOf<'ingest.upload.failed.v1'>;

/** Ingest running in-process on its own bus namespace, database, S3 server and key prefix. */
export interface IngestHarness {
  ingest: Ingest;
  bus: Bus;
  s3: MotoS3 | undefined;
  database: IsolatedDatabase;
  stop(): Promise<void>;
}

/** A signed-in user of its own. */
export function newPrincipal(): Principal {
  return { userId: randomUUID(), roles: ['user'], sessionId: `session-${randomUUID()}` };
}

/**
 * Starts ingest with everything of its own. The S3 server is a private moto by default, because
 * s3rver answers ListParts and AbortMultipartUpload with "not implemented"; `s3: 'local'` uses
 * the global setup's s3rver (the one `npm start` runs) under a key prefix of its own.
 *
 * @example
 * const harness = await startIngestHarness();
 * afterAll(() => harness.stop());
 */
export async function startIngestHarness(
  options: { s3?: 'moto' | 'local'; env?: Record<string, string> } = {},
): Promise<IngestHarness> {
  const namespace = isolatedNamespace('ingest');
  const s3 = options.s3 === 'local' ? undefined : await startMotoS3();
  const local = s3Settings();
  const s3Env = s3?.env ?? {
    S3_ENDPOINT: local.endpoint,
    S3_REGION: local.region,
    S3_BUCKET: local.bucket,
    S3_ACCESS_KEY_ID: local.accessKeyId,
    S3_SECRET_ACCESS_KEY: local.secretAccessKey,
  };
  const database = await createIsolatedDatabase({ label: 'ingest' });
  const bus = await connectTestBus('ingest', { namespace });
  const ingest = await startIngest({
    ownsProcess: false,
    environment: {
      ...process.env,
      ...s3Env,
      S3_KEY_PREFIX: `${isolatedName('ingest')}/`,
      BUS_NAMESPACE: namespace,
      INGEST_DATABASE_URL: database.url,
      OPS_PORT: '0',
      LOG_LEVEL: process.env.INGEST_TEST_LOG_LEVEL ?? 'silent',
      ...options.env,
    },
  });
  return {
    ingest,
    bus,
    s3,
    database,
    async stop() {
      await ingest.completion.idle();
      if (!s3) await ingest.store.deletePrefix('');
      await ingest.service.shutdown();
      await removeNamespace(bus);
      await database.drop();
      await s3?.stop();
    },
  };
}

/** Calls an ingest operation as a user. */
export function call<D extends RpcDefinition>(
  harness: IngestHarness,
  definition: D,
  principal: Principal,
  input: z.input<D['input']>,
): Promise<z.infer<D['output']>> {
  return callRpc(harness.bus, definition, input, { principal, timeoutMs: 30_000 });
}

/** PUTs bytes to a presigned part URL; answers the ETag. */
export async function putPart(url: string, body: Uint8Array): Promise<string> {
  const response = await fetch(url, { method: 'PUT', body });
  if (response.status !== 200) throw new Error(`part PUT answered ${response.status}: ${await response.text()}`);
  return response.headers.get('etag')!;
}

/** Creates an upload and PUTs every part of `bytes`; answers the session and the parts to complete with. */
export async function sendFile(
  harness: IngestHarness,
  principal: Principal,
  bytes: Uint8Array,
  filename: string,
  extra: { sha256?: string; contentType?: string; size?: number } = {},
) {
  const created = await call(harness, createUploadRpc, principal, {
    filename,
    size: extra.size ?? bytes.length,
    ...(extra.sha256 ? { sha256: extra.sha256 } : {}),
    ...(extra.contentType ? { contentType: extra.contentType } : {}),
  });
  const parts = [];
  for (const part of created.parts) {
    const start = (part.partNumber - 1) * created.partSize;
    parts.push({
      partNumber: part.partNumber,
      etag: await putPart(part.url, bytes.subarray(start, start + created.partSize)),
    });
  }
  return { created, parts };
}

/** Sends a whole file and completes it; answers the session and the completion's answer. */
export async function uploadFile(harness: IngestHarness, principal: Principal, bytes: Uint8Array, filename: string) {
  const { created, parts } = await sendFile(harness, principal, bytes, filename);
  const completed = await call(harness, completeUploadRpc, principal, { uploadId: created.uploadId, parts });
  return { created, completed };
}

/** Waits for the completed or failed event of an upload on the ingest stream. */
export async function waitForOutcome(harness: IngestHarness, uploadId: string): Promise<UploadOutcome> {
  for (;;) {
    const events = (await storedMessages(harness.bus, 'ingest')).map((m) => m.json<UploadOutcome>());
    const found = events.filter((e) => e.data.uploadId === uploadId);
    if (found.length > 0) return found[0]!;
    await sleep(100);
  }
}

/** Every outcome event of an upload stored so far. */
export async function outcomesOf(harness: IngestHarness, uploadId: string): Promise<UploadOutcome[]> {
  const events = (await storedMessages(harness.bus, 'ingest')).map((m) => m.json<UploadOutcome>());
  return events.filter((e) => e.data.uploadId === uploadId);
}
