import { openDatabase as openServiceDatabase } from '@tonearm/database';
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import type pg from 'pg';
import { fileURLToPath } from 'node:url';
import * as schema from './schema.ts';

/** The drizzle database of ingest, typed by its schema. */
export type IngestDatabase = NodePgDatabase<typeof schema>;

/** The folder of the SQL migrations drizzle-kit generated (`apps/ingest/drizzle`). */
export const migrationsFolder = fileURLToPath(new URL('../../drizzle', import.meta.url));

/** A number only ingest uses with `pg_advisory_lock`, so two instances never migrate at once. */
const migrationLockId = 0x1de_1001;

/**
 * Opens a pool on ingest's database (created when missing) and applies its migrations.
 *
 * @example
 * const { db, pool } = await openDatabase(env.INGEST_DATABASE_URL);
 */
export function openDatabase(url: string): Promise<{ db: IngestDatabase; pool: pg.Pool }> {
  return openServiceDatabase({ url, schema, migrationsFolder, migrationLockId });
}
