import { consume, type Bus, type ConsumerHandle } from '@tonearm/bus';
import type { CatalogProjector } from '../projection/catalog-projector.ts';
import { CATALOG_CONSUMERS } from '../projection/projection-metrics.ts';

/**
 * Feeds every catalog consumer into the projector. A failed projection is retried by the bus
 * with backoff (the event is acknowledged only once its transaction committed).
 *
 * @example
 * const consumers = startProjectionConsumers(bus, projector, 4);
 * service.onShutdown(() => consumers.stop());
 */
export function startProjectionConsumers(bus: Bus, projector: CatalogProjector, concurrency: number) {
  const handles: ConsumerHandle[] = CATALOG_CONSUMERS.map((key) =>
    consume(bus, key, async (event) => void (await projector.apply(event)), { concurrency }),
  );
  return { stop: () => Promise.all(handles.map((h) => h.stop())).then(() => undefined) };
}
