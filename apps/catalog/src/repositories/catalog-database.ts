import { fileURLToPath } from 'node:url';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import * as schema from './schema.ts';

/** The schema the service reads and projects into. */
export const LIVE_SCHEMA = 'catalog';

/** Where a rebuild builds the new projection before swapping it in. */
export const SHADOW_SCHEMA = 'catalog_rebuild';

const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../drizzle', import.meta.url));
const MIGRATION_LOCK = 7_210_001;

/** Drizzle over a pool whose connections resolve unqualified table names in one schema. */
export type CatalogDb = NodePgDatabase<typeof schema> & { $client: pg.Pool };

/** An open read model: drizzle, its pool and the schema it works in. */
export interface CatalogDatabase {
  db: CatalogDb;
  pool: pg.Pool;
  schema: string;
  close(): Promise<void>;
}

/**
 * Opens a pool on the read model in `schemaName` (the live schema by default). Every connection
 * gets `search_path = <schema>, public`, so the same queries serve the live schema and a shadow.
 *
 * @example
 * const database = openCatalogDatabase(env.CATALOG_DATABASE_URL);
 */
export function openCatalogDatabase(
  url: string,
  options: { schemaName?: string; poolSize?: number } = {},
): CatalogDatabase {
  const schemaName = options.schemaName ?? LIVE_SCHEMA;
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    options: `-c search_path=${pg.escapeIdentifier(schemaName)},public`,
  });
  pool.on('error', () => undefined);
  let closing: Promise<void> | undefined;
  return {
    db: drizzle(pool, { schema }),
    pool,
    schema: schemaName,
    close: () => (closing ??= pool.end()),
  };
}

/**
 * Applies the drizzle-kit migrations to one schema. The migration journal lives in that schema,
 * so it moves with it when a rebuild swaps schemas. Instances starting together take turns.
 *
 * @example
 * await migrateCatalogSchema(url, LIVE_SCHEMA);
 */
export async function migrateCatalogSchema(url: string, schemaName: string): Promise<void> {
  const client = new pg.Client({
    connectionString: url,
    options: `-c search_path=${pg.escapeIdentifier(schemaName)},public`,
  });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${pg.escapeIdentifier(schemaName)}`);
    await migrate(drizzle(client), {
      migrationsFolder: MIGRATIONS_FOLDER,
      migrationsSchema: schemaName,
      migrationsTable: '__drizzle_migrations',
    });
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await client.end();
  }
}
