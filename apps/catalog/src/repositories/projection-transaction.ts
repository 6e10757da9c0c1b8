import { drizzle } from 'drizzle-orm/node-postgres';
import type { CatalogDb } from './catalog-database.ts';
import { ProjectionRepository, SWAP_LOCK, WRITER_LOCK } from './projection-repository.ts';
import * as schema from './schema.ts';

/** Where a projection writes: the live read model, shared with other writers, or a rebuild's shadow, alone. */
export type ProjectionTarget = 'live' | 'shadow';

/**
 * What each transaction starts with, sent with its BEGIN in one round trip (a simple query may
 * hold several statements; these have no parameters). Live: wait while a rebuild swaps schemas
 * (later statements then resolve to the new tables), then for the other writers. Shadow: the
 * rebuild is the only writer and its commits need not wait for the disk, the swap's own commit
 * flushes everything before it.
 */
const OPENING: Record<ProjectionTarget, string> = {
  live: `BEGIN; SELECT pg_advisory_xact_lock_shared(${SWAP_LOCK}); SELECT pg_advisory_xact_lock(${WRITER_LOCK})`,
  shadow: 'BEGIN; SET LOCAL synchronous_commit = off',
};

/**
 * Runs `work` in one transaction on a connection of the database's pool, committed when it
 * returns and rolled back when it throws. Drizzle's own transactions send BEGIN alone; this saves
 * that round trip on every projected batch.
 *
 * @example
 * const outcomes = await projectionTransaction(db, 'live', (repository) => projectBatch(repository, events));
 */
export async function projectionTransaction<T>(
  db: CatalogDb,
  target: ProjectionTarget,
  work: (repository: ProjectionRepository) => Promise<T>,
): Promise<T> {
  const client = await db.$client.connect();
  let broken: Error | undefined;
  try {
    await client.query(OPENING[target]);
    const result = await work(new ProjectionRepository(drizzle(client, { schema })));
    await client.query('COMMIT');
    return result;
  } catch (error) {
    // A no-op when BEGIN or COMMIT was what failed; a connection that cannot even roll back is
    // dropped from the pool rather than handed to the next batch.
    await client.query('ROLLBACK').catch((rollbackError: unknown) => {
      broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
    });
    throw error;
  } finally {
    client.release(broken);
  }
}
