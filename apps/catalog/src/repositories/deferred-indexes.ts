import pg from 'pg';

/** A secondary index of a schema, dropped to be built again later. */
export interface DeferredIndex {
  name: string;
  definition: string;
}

/**
 * Drops the secondary indexes of a schema (neither primary keys nor unique ones, which upserts
 * need, nor those named in `keep`) and answers their definitions. Filling tables without them and building them once
 * afterwards is much cheaper than keeping them up to date row by row, trigram indexes above all.
 *
 * @example
 * const deferred = await dropSecondaryIndexes(client, 'catalog_rebuild', ['tracks_album_idx']);
 * // ... bulk writes ...
 * await createIndexes(client, deferred);
 */
export async function dropSecondaryIndexes(
  client: pg.ClientBase,
  schemaName: string,
  keep: readonly string[] = [],
): Promise<DeferredIndex[]> {
  const { rows } = await client.query<{ name: string; definition: string }>(
    `SELECT c.relname AS name, pg_get_indexdef(c.oid) AS definition
     FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = $1 AND NOT i.indisunique AND NOT i.indisprimary AND c.relname <> ALL($2)
     ORDER BY c.relname`,
    [schemaName, keep],
  );
  for (const { name } of rows) {
    await client.query(`DROP INDEX ${pg.escapeIdentifier(schemaName)}.${pg.escapeIdentifier(name)}`);
  }
  return rows;
}

/** Builds indexes from their definitions. */
export async function createIndexes(client: pg.ClientBase, indexes: DeferredIndex[]): Promise<void> {
  for (const { definition } of indexes) await client.query(definition);
}
