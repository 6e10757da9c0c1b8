import { connectBus, provisionTopology } from '@tonearm/bus';
import { createLogger, loadEnv } from '@tonearm/runtime';
import { baseEnvShape } from '@tonearm/service-host';
import { catalogEnvShape } from '../config/catalog-env.ts';
import { rebuildProjection } from '../projection/projection-rebuild.ts';
import { ensureDatabase } from '@tonearm/database';

/**
 * `npm run rebuild -w @tonearm/catalog`: rebuilds the catalog read model from the streams and
 * swaps it in while the running service keeps answering from the old one.
 */
const env = loadEnv({ ...baseEnvShape('catalog'), ...catalogEnvShape });
const logger = createLogger({ service: 'catalog-rebuild', instanceId: `rebuild-${process.pid}`, level: env.LOG_LEVEL });
const bus = await connectBus({
  url: env.NATS_URL,
  namespace: env.BUS_NAMESPACE,
  name: `catalog-rebuild:${process.pid}`,
  logger,
});
try {
  await provisionTopology(bus);
  await ensureDatabase(env.CATALOG_DATABASE_URL);
  const report = await rebuildProjection({ databaseUrl: env.CATALOG_DATABASE_URL, bus, logger });
  console.log(`rebuilt the catalog from ${report.events} events in ${report.durationMs} ms`);
} catch (error) {
  logger.error({ err: error }, 'rebuild failed; the live read model is unchanged');
  process.exitCode = 1;
} finally {
  await bus.close();
}
