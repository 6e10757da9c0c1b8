import { fileURLToPath } from 'node:url';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import * as schema from './schema.ts';

/** The drizzle database of identity, typed by its schema. */
export type IdentityDatabase = NodePgDatabase<typeof schema>;

/** The folder of the SQL migrations drizzle-kit generated (`apps/identity/drizzle`). */
export const migrationsFolder = fileURLToPath(new URL('../../drizzle', import.meta.url));

/** Any number that identity alone uses with `pg_advisory_lock`, so two instances never migrate at once. */
const migrationLockId = 0x1de_0001;

/**
 * Creates the database of `url` when it is missing, connecting to the server's `postgres`
 * database to do it. Answers whether it created it.
 *
 * @example
 * await ensureDatabase('postgres://postgres@127.0.0.1:5432/tonearm_identity');
 */
export async function ensureDatabase(url: string): Promise<boolean> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  if (!name) throw new Error('the database URL names no database');
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const existing = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (existing.rowCount) return false;
    await client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
    return true;
  } catch (error) {
    // Another instance created it between the check and the CREATE.
    if ((error as { code?: string }).code === '42P04') return false;
    throw error;
  } finally {
    await client.end();
  }
}

/**
 * Opens a pool on identity's database (created when missing) and applies the migrations under
 * an advisory lock, so instances starting together migrate once.
 *
 * @example
 * const { db, pool } = await openDatabase(env.IDENTITY_DATABASE_URL);
 */
export async function openDatabase(url: string): Promise<{ db: IdentityDatabase; pool: pg.Pool }> {
  await ensureDatabase(url);
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  try {
    const client = await pool.connect();
    try {
      await client.query('SELECT pg_advisory_lock($1)', [migrationLockId]);
      await migrate(drizzle({ client }), { migrationsFolder });
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [migrationLockId]).catch(() => undefined);
      client.release();
    }
  } catch (error) {
    await pool.end();
    throw error;
  }
  return { db: drizzle({ client: pool, schema }), pool };
}
