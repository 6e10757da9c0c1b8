import { randomUUID } from 'node:crypto';
import { dropNamespace, provisionTopology, type Bus } from '@tonearm/bus';
import {
  createIsolatedDatabase,
  eventually,
  isolatedNamespace,
  startChildService,
  type ChildService,
  type IsolatedDatabase,
} from '@tonearm/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectTestBus, uploadCompletedData } from '../../packages/bus/test/bus-test-helper.ts';

const namespace = isolatedNamespace('corrlogs');
let bus: Bus;
let database: IsolatedDatabase;
let transcoder: ChildService;
let catalog: ChildService;

beforeAll(async () => {
  bus = await connectTestBus('corrlogs', { namespace });
  await provisionTopology(bus);
  database = await createIsolatedDatabase({ label: 'corrlogs_catalog' });
  const env = { BUS_NAMESPACE: namespace, LOG_LEVEL: 'info' };
  [transcoder, catalog] = await Promise.all([
    startChildService({ app: 'transcoder', env, readyTimeoutMs: 90_000 }),
    startChildService({ app: 'catalog', env: { ...env, CATALOG_DATABASE_URL: database.url }, readyTimeoutMs: 90_000 }),
  ]);
}, 200_000);

afterAll(async () => {
  await Promise.all([transcoder?.stop('SIGKILL', 1_000), catalog?.stop('SIGKILL', 1_000)]);
  await database?.drop();
  if (bus) {
    await dropNamespace(bus);
    await bus.close();
  }
});

describe('one upload followed across services', () => {
  it("stamps the upload's correlation id on every transcoder line it causes; catalog counts it by type on /metrics", async () => {
    const trackId = randomUUID();
    const { event } = await bus.publish('ingest.upload.completed.v1', {
      data: { ...uploadCompletedData(), trackId },
      correlationId: 'upload-journey-1',
    });

    const caused = () =>
      transcoder
        .output()
        .split('\n')
        .filter((line) => line.startsWith('{') && (line.includes(event.id) || line.includes(trackId)))
        .map((line) => JSON.parse(line) as { correlationId?: string; msg: string });
    const lines = await eventually(
      async () => caused(),
      (found) => found.length > 0,
      { timeoutMs: 60_000 },
    );
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.map((line) => [line.msg, line.correlationId])).toEqual(
      lines.map((line) => [line.msg, 'upload-journey-1']),
    );

    const consumed = (metrics: string[]) =>
      metrics.find(
        (line) =>
          line.startsWith('bus_events_consumed_total{') &&
          line.includes('consumer="catalog-ingest"') &&
          line.includes('type="ingest.upload.completed.v1"'),
      );
    const metrics = await eventually(
      async () => (await (await fetch(`${catalog.opsUrl}/metrics`)).text()).split('\n'),
      (found) => consumed(found) !== undefined,
      { timeoutMs: 60_000 },
    );
    expect(consumed(metrics)).toMatch(/outcome="acked".*\} 1$/);
    expect(metrics.some((line) => /^bus_consumer_pending_messages\{.*consumer="catalog-ingest"/.test(line))).toBe(true);
  });
});
