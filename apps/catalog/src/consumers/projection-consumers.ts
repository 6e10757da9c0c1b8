import { consumeBatches, type Bus, type ConsumerHandle } from '@tonearm/bus';
import type { CatalogProjector } from '../projection/catalog-projector.ts';
import { coalescedWrites } from '../projection/coalesced-writes.ts';
import { CATALOG_CONSUMERS } from '../projection/projection-metrics.ts';

/**
 * Feeds every catalog consumer into the projector in batches of up to `maxBatch` events; batches
 * of several consumers that are ready together share one transaction ({@link coalescedWrites}).
 * The bus acknowledges a batch once its transaction committed; when a batch fails it hands each
 * event alone, so a bad one is retried or dead-lettered without holding back the rest.
 *
 * @example
 * const consumers = startProjectionConsumers(bus, projector, 256);
 * service.onShutdown(() => consumers.stop());
 */
export function startProjectionConsumers(bus: Bus, projector: CatalogProjector, maxBatch: number) {
  const write = coalescedWrites(async (events) => void (await projector.applyBatch(events)));
  const handles: ConsumerHandle[] = CATALOG_CONSUMERS.map((key) =>
    consumeBatches(bus, key, (deliveries) => write(deliveries.map((d) => d.event)), { maxBatch }),
  );
  return { stop: () => Promise.all(handles.map((h) => h.stop())).then(() => undefined) };
}
