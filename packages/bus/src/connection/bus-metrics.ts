import { Counter, Histogram, type Registry } from 'prom-client';

/** The Prometheus series the bus keeps, registered once per registry. */
export interface BusMetrics {
  published: Counter<'type'>;
  consumed: Counter<'consumer' | 'type' | 'outcome'>;
  handlerDuration: Histogram<'consumer' | 'type'>;
}

const byRegistry = new WeakMap<Registry, BusMetrics>();

/**
 * The bus metrics of a registry. Several buses (or tests) may share one registry, which refuses
 * a second metric of the same name, so each registry gets its metrics once.
 */
export function busMetrics(registry: Registry): BusMetrics {
  const existing = byRegistry.get(registry);
  if (existing) return existing;
  const metrics: BusMetrics = {
    published: new Counter({
      name: 'bus_events_published_total',
      help: 'Events stored by JetStream (duplicates not counted), by type',
      labelNames: ['type'],
      registers: [registry],
    }),
    consumed: new Counter({
      name: 'bus_events_consumed_total',
      help: 'Deliveries handled by a consumer, by type and outcome (acked, retried, dead-lettered, malformed)',
      labelNames: ['consumer', 'type', 'outcome'],
      registers: [registry],
    }),
    handlerDuration: new Histogram({
      name: 'bus_handler_duration_seconds',
      help: 'Time an event handler took, by consumer and type',
      labelNames: ['consumer', 'type'],
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300],
      registers: [registry],
    }),
  };
  byRegistry.set(registry, metrics);
  return metrics;
}
