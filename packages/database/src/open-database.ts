import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { ensureDatabase } from './ensure-database.ts';

/** How a service opens its own database. */
export interface OpenDatabaseOptions<S extends Record<string, unknown>> {
  url: string;
  schema: S;
  /** The folder of the SQL migrations drizzle-kit generated for the service. */
  migrationsFolder: string;
  /** A number only this service uses with `pg_advisory_lock`, so instances starting together migrate once. */
  migrationLockId: number;
  /** Largest number of pooled connections (default 10). */
  maxConnections?: number;
}

/** An open, migrated database. */
export interface OpenDatabase<S extends Record<string, unknown>> {
  db: NodePgDatabase<S>;
  pool: pg.Pool;
}

/**
 * Opens a pool on a service's database (created when missing) and applies its migrations under
 * an advisory lock.
 *
 * @example
 * const { db, pool } = await openDatabase({ url, schema, migrationsFolder, migrationLockId: 0x1de_0002 });
 * service.onShutdown(() => pool.end());
 */
export async function openDatabase<S extends Record<string, unknown>>(
  options: OpenDatabaseOptions<S>,
): Promise<OpenDatabase<S>> {
  await ensureDatabase(options.url);
  const pool = new pg.Pool({ connectionString: options.url, max: options.maxConnections ?? 10 });
  // An idle client whose server went away (a Postgres restart) emits 'error' on the pool; unheard,
  // that kills the process. The pool drops that client and the next query connects again.
  pool.on('error', () => undefined);
  try {
    const client = await pool.connect();
    try {
      await client.query('SELECT pg_advisory_lock($1)', [options.migrationLockId]);
      await migrate(drizzle({ client }), { migrationsFolder: options.migrationsFolder });
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [options.migrationLockId]).catch(() => undefined);
      client.release();
    }
  } catch (error) {
    await pool.end();
    throw error;
  }
  return { db: drizzle({ client: pool, schema: options.schema }), pool };
}
