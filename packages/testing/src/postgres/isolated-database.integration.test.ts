import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { serviceUrls } from '../service-urls.ts';
import { createIsolatedDatabase, databaseUrlFor, ensureDatabase } from './isolated-database.ts';

async function databaseExists(name: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: serviceUrls().databaseUrl });
  await client.connect();
  try {
    const result = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    return result.rowCount === 1;
  } finally {
    await client.end();
  }
}

describe('createIsolatedDatabase', () => {
  it('creates an empty database of its own that accepts tables', async () => {
    const sut = await createIsolatedDatabase({ label: 'iso' });
    const client = new pg.Client({ connectionString: sut.url });
    await client.connect();
    try {
      await client.query('CREATE TABLE tracks (id text primary key)');
      await client.query("INSERT INTO tracks VALUES ('a')");
      const { rows } = await client.query('SELECT current_database() AS name, count(*)::int AS n FROM tracks');

      expect(rows).toEqual([{ name: sut.name, n: 1 }]);
      expect(sut.name).toMatch(/^iso_[0-9a-f]{10}$/);
    } finally {
      await client.end();
      await sut.drop();
    }
  });

  it('gives every call a different database', async () => {
    const [first, second] = await Promise.all([createIsolatedDatabase(), createIsolatedDatabase()]);

    expect(first!.name).not.toBe(second!.name);
    await Promise.all([first!.drop(), second!.drop()]);
  });

  it('drops the database even while a connection is still open', async () => {
    const sut = await createIsolatedDatabase();
    const straggler = new pg.Client({ connectionString: sut.url });
    straggler.on('error', () => undefined);
    await straggler.connect();

    await sut.drop();

    expect(await databaseExists(sut.name)).toBe(false);
    await straggler.end().catch(() => undefined);
  });
});

describe('ensureDatabase', () => {
  it('creates a missing database once and leaves it alone afterwards', async () => {
    const name = `ensure_${Date.now().toString(36)}_${process.pid}`;
    const serverUrl = serviceUrls().databaseUrl;
    try {
      expect(await ensureDatabase(serverUrl, name)).toBe(true);
      expect(await ensureDatabase(serverUrl, name)).toBe(false);
      expect(await databaseExists(name)).toBe(true);
    } finally {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
      await client.end();
    }
  });
});

describe('databaseUrlFor', () => {
  it('keeps the credentials, host, port and options and changes only the database', () => {
    expect(databaseUrlFor('postgres://app:secret@db.local:5433/postgres?sslmode=require', 'tonearm_catalog')).toBe(
      'postgres://app:secret@db.local:5433/tonearm_catalog?sslmode=require',
    );
  });
});
