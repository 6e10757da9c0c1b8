import type { Bus, KnownEvent } from '@tonearm/bus';
import type { ConsumerKey } from '@tonearm/contracts';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { ProjectionOutcome } from './catalog-projector.ts';

/** The catalog's consumers, one per stream it projects. */
export const CATALOG_CONSUMERS = [
  'catalog-identity',
  'catalog-ingest',
  'catalog-transcode',
  'catalog-catalog',
  'catalog-playback',
] as const satisfies readonly ConsumerKey[];

/**
 * Projection metrics: events projected by type and outcome, the age of the last projected event
 * (projection lag), and the messages each catalog consumer has not yet had acknowledged.
 *
 * @example
 * const metrics = projectionMetrics(service.metrics, service.bus);
 * const projector = new CatalogProjector(db, { onApplied: metrics.observe });
 */
export function projectionMetrics(registry: Registry, bus: Bus) {
  const projected = new Counter({
    name: 'tonearm_catalog_events_projected_total',
    help: 'Events handed to the catalog projection, by type and outcome (applied, duplicate, ignored)',
    labelNames: ['type', 'outcome'],
    registers: [registry],
  });
  const lag = new Gauge({
    name: 'tonearm_catalog_projection_lag_seconds',
    help: 'Time between the last projected event occurring and its projection',
    registers: [registry],
  });
  new Gauge({
    name: 'tonearm_catalog_consumer_pending_messages',
    help: 'Messages of each catalog consumer not yet delivered or not yet acknowledged',
    labelNames: ['consumer'],
    registers: [registry],
    async collect() {
      for (const key of CATALOG_CONSUMERS) {
        const spec = bus.topology.consumer(key);
        const info = await bus.jsm.consumers.info(spec.streamName, spec.durable).catch(() => undefined);
        if (info) this.set({ consumer: key }, info.num_pending + info.num_ack_pending);
      }
    },
  });
  return {
    observe(event: KnownEvent, outcome: ProjectionOutcome): void {
      projected.inc({ type: event.type, outcome });
      lag.set(Math.max(0, (Date.now() - Date.parse(event.occurredAt)) / 1000));
    },
  };
}
