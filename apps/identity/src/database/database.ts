import { fileURLToPath } from 'node:url';
import { openDatabase as openServiceDatabase } from '@tonearm/database';
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import type pg from 'pg';
import * as schema from './schema.ts';

/** The drizzle database of identity, typed by its schema. */
export type IdentityDatabase = NodePgDatabase<typeof schema>;

/** The folder of the SQL migrations drizzle-kit generated (`apps/identity/drizzle`). */
export const migrationsFolder = fileURLToPath(new URL('../../drizzle', import.meta.url));

/**
 * Opens a pool on identity's database (created when missing) and applies its migrations.
 *
 * @example
 * const { db, pool } = await openDatabase(env.IDENTITY_DATABASE_URL);
 */
export function openDatabase(url: string): Promise<{ db: IdentityDatabase; pool: pg.Pool }> {
  return openServiceDatabase({ url, schema, migrationsFolder, migrationLockId: 0x1de_0001 });
}
