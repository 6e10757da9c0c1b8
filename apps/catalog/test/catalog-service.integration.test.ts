import { ConfigError } from '@tonearm/runtime';
import { isolatedNamespace, serviceUrls } from '@tonearm/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCatalog } from '../src/catalog-service.ts';
import { startCatalogHarness, type CatalogHarness } from './support/catalog-harness.ts';
import { transcodeCompleted, uploadCompleted } from './support/event-history.ts';

let harness: CatalogHarness;

beforeAll(async () => {
  harness = await startCatalogHarness('catalog-svc');
});

afterAll(async () => {
  await harness?.stop();
});

describe('catalog service', () => {
  it('reports its database in health and projected events and lag in metrics', async () => {
    const upload = uploadCompleted('3a7d3c1e-1d3b-4f55-9f1e-0c6f3f0b2a10', { title: 'Metered', artist: 'Counter' });
    await harness.publishAndWait([upload, transcodeCompleted(upload.data.trackId)]);
    const health = await harness.service.health();
    expect(health.checks.postgres).toEqual({ status: 'ok' });
    const metrics = await (await fetch(`${harness.service.opsUrl}/metrics`)).text();
    expect(metrics).toMatch(
      /tonearm_catalog_events_projected_total\{[^}]*type="ingest\.upload\.completed\.v1"[^}]*outcome="applied"[^}]*\} 1/,
    );
    expect(metrics).toMatch(/tonearm_catalog_projection_lag_seconds\{[^}]*\} \d/);
    expect(metrics).toMatch(/tonearm_catalog_consumer_pending_messages\{[^}]*consumer="catalog-ingest"[^}]*\} \d+/);
  });

  it.each([
    ['a URL that is not Postgres', { CATALOG_DATABASE_URL: 'mysql://127.0.0.1/catalog' }, 'CATALOG_DATABASE_URL'],
    ['a pool size of zero', { CATALOG_DATABASE_POOL_SIZE: '0' }, 'CATALOG_DATABASE_POOL_SIZE'],
    ['a batch size that is not a number', { CATALOG_PROJECTOR_BATCH: 'many' }, 'CATALOG_PROJECTOR_BATCH'],
  ])('refuses to start with %s, naming the variable', async (_, bad, variable) => {
    const starting = startCatalog({
      ownsProcess: false,
      environment: { NATS_URL: serviceUrls().natsUrl, BUS_NAMESPACE: isolatedNamespace('catalog-env'), ...bad },
    });
    await expect(starting).rejects.toBeInstanceOf(ConfigError);
    await expect(starting).rejects.toMatchObject({ variables: [variable] });
  });
});
