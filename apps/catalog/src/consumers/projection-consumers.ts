import { consumeBatches, type Bus, type ConsumerHandle } from '@tonearm/bus';
import type { CatalogProjector } from '../projection/catalog-projector.ts';
import { CATALOG_CONSUMERS } from '../projection/projection-metrics.ts';

/**
 * Feeds every catalog consumer into the projector, a batch of up to `maxBatch` events per
 * transaction. The bus acknowledges a batch once its transaction committed; when a batch fails
 * it hands each event alone, so a bad one is retried or dead-lettered without holding back the rest.
 *
 * @example
 * const consumers = startProjectionConsumers(bus, projector, 256);
 * service.onShutdown(() => consumers.stop());
 */
export function startProjectionConsumers(bus: Bus, projector: CatalogProjector, maxBatch: number) {
  const handles: ConsumerHandle[] = CATALOG_CONSUMERS.map((key) =>
    consumeBatches(bus, key, async (deliveries) => void (await projector.applyBatch(deliveries.map((d) => d.event))), {
      maxBatch,
    }),
  );
  return { stop: () => Promise.all(handles.map((h) => h.stop())).then(() => undefined) };
}
