import { ensureDatabase } from '@tonearm/database';
import { startService, type RunningService } from '@tonearm/service-host';
import packageJson from '../package.json' with { type: 'json' };
import { catalogEnvShape } from './config/catalog-env.ts';
import { startProjectionConsumers } from './consumers/projection-consumers.ts';
import { CatalogProjector } from './projection/catalog-projector.ts';
import { projectionMetrics } from './projection/projection-metrics.ts';
import { CatalogQueries } from './queries/catalog-queries.ts';
import { TrackDeletion } from './queries/track-deletion.ts';
import { LIVE_SCHEMA, migrateCatalogSchema, openCatalogDatabase } from './repositories/catalog-database.ts';
import { CatalogReadRepository } from './repositories/catalog-read-repository.ts';
import { serveCatalogRpc } from './rpc/catalog-rpc.ts';

/** A running catalog service. */
export type CatalogService = RunningService<typeof catalogEnvShape>;

/**
 * Starts the catalog: creates and migrates its database, projects the catalog consumers and
 * answers the catalog operations on the bus.
 *
 * @example
 * const service = await startCatalog({ ownsProcess: false, environment: { BUS_NAMESPACE: ns, CATALOG_DATABASE_URL: url } });
 */
export async function startCatalog(
  options: { ownsProcess?: boolean; environment?: NodeJS.ProcessEnv } = {},
): Promise<CatalogService> {
  const service = await startService({
    name: 'catalog',
    version: packageJson.version,
    description: 'Event-sourced read model of artists, albums and tracks',
    env: catalogEnvShape,
    ...options,
  });
  try {
    const { env } = service;
    await ensureDatabase(env.CATALOG_DATABASE_URL);
    await migrateCatalogSchema(env.CATALOG_DATABASE_URL, LIVE_SCHEMA);
    const database = openCatalogDatabase(env.CATALOG_DATABASE_URL, { poolSize: env.CATALOG_DATABASE_POOL_SIZE });
    service.onShutdown(() => database.close());
    service.addHealthCheck('postgres', async () => {
      try {
        await database.pool.query('SELECT 1');
        return { status: 'ok' };
      } catch (error) {
        return { status: 'failing', detail: `catalog database: ${(error as Error).message}` };
      }
    });
    const metrics = projectionMetrics(service.metrics, service.bus);
    const projector = new CatalogProjector(database.db, { onApplied: metrics.observe });
    const reads = new CatalogReadRepository(database.db);
    const deletion = new TrackDeletion({ reads, projector, publish: service.bus.publish });
    serveCatalogRpc(service.serve, new CatalogQueries(reads), deletion);
    const consumers = startProjectionConsumers(service.bus, projector, env.CATALOG_PROJECTOR_BATCH);
    service.onShutdown(() => consumers.stop());
    await service.listening();
    service.logger.info('catalog ready');
    return service;
  } catch (error) {
    service.logger.fatal({ err: error }, 'catalog could not start');
    await service.shutdown(1);
    throw error;
  }
}
