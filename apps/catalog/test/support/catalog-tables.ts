import pg from 'pg';

/** Every row of every read-model table of a schema, sorted, for comparing two projections. */
export async function dumpTables(url: string, schemaName: string): Promise<Record<string, unknown[]>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const tables = await client.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_name <> '__drizzle_migrations' ORDER BY table_name`,
      [schemaName],
    );
    const dump: Record<string, unknown[]> = {};
    for (const { table_name: table } of tables.rows) {
      const rows = await client.query(`SELECT * FROM ${pg.escapeIdentifier(schemaName)}.${pg.escapeIdentifier(table)}`);
      dump[table] = rows.rows.map((row) => JSON.stringify(row)).sort();
    }
    return dump;
  } finally {
    await client.end();
  }
}
