import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { provisionTopology, type Bus, type ConsumerHandle } from '@tonearm/bus';
import { defaultSettings } from '@tonearm/contracts';
import { createS3Client, ObjectStore } from '@tonearm/storage';
import { freePort } from '@tonearm/testing';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  connectTestBus,
  deadLetters,
  removeNamespace,
  storedMessages,
  uploadCompletedData,
} from '../../../packages/bus/test/bus-test-helper.ts';
import { FfmpegAdapter } from '../src/adapters/ffmpeg.adapter.ts';
import { FfprobeAdapter } from '../src/adapters/ffprobe.adapter.ts';
import { consumeTranscodeJobs } from '../src/consumers/transcode-job.consumer.ts';
import { createTranscodeMetrics } from '../src/services/transcode-metrics.ts';
import { TranscodeService } from '../src/services/transcode.service.ts';

const MAX_DELIVER = 3;
let bus: Bus;
let handle: ConsumerHandle;
let workDir: string;
let registry: Registry;
let store: ObjectStore;

beforeAll(async () => {
  bus = await connectTestBus('tx-transient');
  await provisionTopology(bus, { consumerOverrides: { transcoder: { maxDeliver: MAX_DELIVER } } });
  workDir = await mkdtemp(join(tmpdir(), 'tx-transient-'));
  registry = new Registry();
  // Nothing listens on this port: storage is unreachable for the whole test.
  const client = createS3Client({
    S3_ENDPOINT: `http://127.0.0.1:${await freePort()}`,
    S3_REGION: 'us-east-1',
    S3_BUCKET: 'tonearm-test',
    S3_ACCESS_KEY_ID: 'S3RVER',
    S3_SECRET_ACCESS_KEY: 'S3RVER',
    S3_KEY_PREFIX: '',
  });
  store = new ObjectStore({ client, bucket: 'tonearm-test' });
  const service = new TranscodeService({
    store,
    bus,
    ffprobe: new FfprobeAdapter({ ffprobePath: 'ffprobe' }),
    ffmpeg: new FfmpegAdapter({ ffmpegPath: 'ffmpeg' }),
    settings: () => ({
      ladder: defaultSettings()['transcode.ladder'],
      segmentSeconds: defaultSettings()['transcode.segmentSeconds'],
    }),
    metrics: createTranscodeMetrics(registry),
    workDir,
    progressIntervalMs: 5000,
    encoderProcesses: 2,
  });
  handle = consumeTranscodeJobs(bus, service, { concurrency: 1 });
});

afterAll(async () => {
  await handle?.stop();
  store?.client.destroy();
  await removeNamespace(bus);
  await rm(workDir, { recursive: true, force: true });
});

describe('storage that cannot be reached', () => {
  it(
    'retries the job with backoff, then dead-letters it, and never calls the source bad',
    { timeout: 60_000 },
    async () => {
      const data = uploadCompletedData();
      const { event } = await bus.publish('ingest.upload.completed.v1', { data });

      await vi.waitFor(async () => expect(await deadLetters(bus)).toHaveLength(1), { timeout: 45_000, interval: 200 });
      const [letter] = await deadLetters(bus);
      expect(letter!.data).toMatchObject({
        consumer: 'transcoder',
        reason: 'max-deliveries',
        deliveries: MAX_DELIVER,
        originalEventId: event.id,
      });
      expect(letter!.data.error).toMatch(/^storage read failed/);
      expect(await storedMessages(bus, 'transcode')).toEqual([]);
      const retried = await registry.getSingleMetric('transcode_jobs_total')!.get();
      expect(retried.values).toEqual([expect.objectContaining({ labels: { outcome: 'retried' }, value: MAX_DELIVER })]);
    },
  );
});
