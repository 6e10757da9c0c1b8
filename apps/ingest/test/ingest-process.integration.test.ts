import { callRpc } from '@tonearm/bus';
import { createUploadRpc } from '@tonearm/contracts';
import { isolatedName, isolatedNamespace, serviceUrls, startChildService } from '@tonearm/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectTestBus, removeNamespace } from '../../../packages/bus/test/bus-test-helper.ts';
import { startMotoS3, type MotoS3 } from '../../../packages/storage/src/test-support/moto-s3-server.ts';
import { newPrincipal } from './ingest-test-harness.ts';

let s3: MotoS3;
const databaseName = isolatedName('ingest_proc');
const admin = new URL(serviceUrls().databaseUrl);

async function adminQuery(sql: string, params: unknown[] = []) {
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    return await client.query(sql, params);
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  s3 = await startMotoS3();
});

afterAll(async () => {
  await adminQuery(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(databaseName)} WITH (FORCE)`);
  await s3?.stop();
});

describe('the ingest process', () => {
  it('creates its missing database, migrates it, answers on the bus and stops cleanly on SIGTERM', async () => {
    const namespace = isolatedNamespace('ingest');
    const databaseUrl = new URL(admin);
    databaseUrl.pathname = `/${databaseName}`;
    const bus = await connectTestBus('ingest', { namespace });
    const sut = await startChildService({
      app: 'ingest',
      env: {
        ...s3.env,
        S3_PUBLIC_ENDPOINT: s3.env.S3_ENDPOINT.replace('127.0.0.1', 'localhost'),
        BUS_NAMESPACE: namespace,
        INGEST_DATABASE_URL: databaseUrl.toString(),
      },
    });
    try {
      const health = (await fetch(`${sut.opsUrl}/healthz`).then((r) => r.json())) as { checks: unknown };
      expect(health.checks).toMatchObject({ bus: { status: 'ok' }, postgres: { status: 'ok' } });
      const database = await adminQuery('SELECT 1 FROM pg_database WHERE datname = $1', [databaseName]);
      expect(database.rowCount).toBe(1);

      const created = await callRpc(
        bus,
        createUploadRpc,
        { filename: 'a.flac', size: 10 },
        { principal: newPrincipal() },
      );

      expect(new URL(created.parts[0]!.url).hostname).toBe('localhost');
      const client = new pg.Client({ connectionString: databaseUrl.toString() });
      await client.connect();
      const rows = await client.query('SELECT track_id FROM upload_sessions').finally(() => client.end());
      expect(rows.rows).toEqual([{ track_id: created.trackId }]);
      expect(await sut.stop('SIGTERM')).toBe(0);
    } finally {
      await sut.stop('SIGKILL');
      await removeNamespace(bus);
    }
  });
});
