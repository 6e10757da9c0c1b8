import pg from 'pg';
import { isolatedName } from '../isolated-names.ts';
import { serviceUrls } from '../service-urls.ts';

/** A database of one test, on the test Postgres server. */
export interface IsolatedDatabase extends AsyncDisposable {
  /** Connection URL of the new database. */
  url: string;
  /** Its name: `label_<random hex>`. */
  name: string;
  /** Drops it, closing any connection still open to it. */
  drop(): Promise<void>;
}

/**
 * The URL of another database on the same server: same host, port and credentials.
 *
 * @example
 * databaseUrlFor('postgres://postgres@127.0.0.1:5432/postgres', 'tonearm_catalog');
 * // 'postgres://postgres@127.0.0.1:5432/tonearm_catalog'
 */
export function databaseUrlFor(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}

async function asAdmin<T>(adminUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * Creates an empty database of its own for a test (`CREATE DATABASE` as the server URL's user,
 * `DATABASE_URL` by default) so migrations and data never meet another test's.
 *
 * @example
 * const database = await createIsolatedDatabase();
 * afterAll(() => database.drop());
 * const db = drizzle(database.url);
 */
export async function createIsolatedDatabase(
  options: { label?: string; serverUrl?: string } = {},
): Promise<IsolatedDatabase> {
  const adminUrl = options.serverUrl ?? serviceUrls().databaseUrl;
  const name = isolatedName(options.label ?? 'test');
  await asAdmin(adminUrl, (client) => client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`));
  let dropped: Promise<void> | undefined;
  const drop = () => {
    dropped ??= asAdmin(adminUrl, async (client) => {
      await client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
    });
    return dropped;
  };
  return { url: databaseUrlFor(adminUrl, name), name, drop, [Symbol.asyncDispose]: drop };
}

/**
 * Creates the database when it does not exist yet; answers whether it did.
 *
 * @example
 * await ensureDatabase('postgres://postgres@127.0.0.1:5432/postgres', 'tonearm_identity');
 */
export async function ensureDatabase(serverUrl: string, name: string): Promise<boolean> {
  return asAdmin(serverUrl, async (client) => {
    const existing = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (existing.rowCount) return false;
    try {
      await client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
      return true;
    } catch (error) {
      if ((error as { code?: string }).code === '42P04') return false;
      throw error;
    }
  });
}
