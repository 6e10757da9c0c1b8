import pg from 'pg';

/**
 * Creates the database a URL names when it is missing, connecting to the server's `postgres`
 * database to do it. Safe when several processes race to create it.
 *
 * @returns whether this call created it
 * @example
 * await ensureDatabase('postgres://postgres@127.0.0.1:5432/tonearm_catalog');
 */
export async function ensureDatabase(url: string): Promise<boolean> {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
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
    // Another process created it between the check and the CREATE: 42P04 once it is visible,
    // 23505 (pg_database's unique index) while both creations are still in flight.
    const code = (error as { code?: string }).code;
    if (code === '42P04' || code === '23505') return false;
    throw error;
  } finally {
    await client.end();
  }
}
