import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isolatedName, serviceUrls } from '@tonearm/testing';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureDatabase } from './ensure-database.ts';
import { openDatabase } from './open-database.ts';

const name = isolatedName('db');
const url = new URL(serviceUrls().databaseUrl);
url.pathname = `/${name}`;
let folder: string;

afterAll(async () => {
  const admin = new pg.Client({ connectionString: serviceUrls().databaseUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
  await admin.end();
  if (folder) await rm(folder, { recursive: true, force: true });
});

async function migrations() {
  folder = await mkdtemp(join(tmpdir(), 'migrations-'));
  await mkdir(join(folder, 'meta'));
  await writeFile(join(folder, '0000_first.sql'), 'CREATE TABLE widgets (id integer PRIMARY KEY);');
  await writeFile(
    join(folder, 'meta/_journal.json'),
    JSON.stringify({
      version: '7',
      dialect: 'postgresql',
      entries: [{ idx: 0, version: '7', when: 1, tag: '0000_first', breakpoints: true }],
    }),
  );
  return folder;
}

describe('openDatabase', () => {
  it('creates the database once, even when two instances start together, and migrates it once', async () => {
    const migrationsFolder = await migrations();
    const open = () => openDatabase({ url: url.toString(), schema: {}, migrationsFolder, migrationLockId: 424242 });
    const [a, b] = await Promise.all([open(), open()]);
    const tables = await a.pool.query("SELECT count(*)::int AS n FROM pg_tables WHERE tablename = 'widgets'");
    expect(tables.rows[0].n).toBe(1);
    await Promise.all([a.pool.end(), b.pool.end()]);
    expect(await ensureDatabase(url.toString())).toBe(false);
  });

  it('survives the server ending its idle connections, and connects again on the next query', async () => {
    const { pool } = await openDatabase({
      url: url.href,
      schema: {},
      migrationsFolder: await migrations(),
      migrationLockId: 0x7e_57,
    });
    await pool.query('SELECT 1');
    const admin = new pg.Client({ connectionString: serviceUrls().databaseUrl });
    await admin.connect();
    await admin.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
      [name],
    );
    await admin.end();
    await new Promise((resolve) => setTimeout(resolve, 200));

    const answer = await pool.query<{ one: number }>('SELECT 1 AS one');
    expect(answer.rows[0]!.one).toBe(1);
    await pool.end();
  });
});
