import type { ConsumerSpec } from '@tonearm/contracts';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { Bus } from './bus-connection.ts';

/** The Prometheus series the bus keeps, registered once per registry. */
export interface BusMetrics {
  published: Counter<'type'>;
  consumed: Counter<'consumer' | 'type' | 'outcome'>;
  handlerDuration: Histogram<'consumer' | 'type'>;
  rpcDuration: Histogram<'operation' | 'outcome'>;
  /** Reports the lag of a consumer this process runs, read from the server at every scrape. */
  watchLag(bus: Bus, consumer: ConsumerSpec): void;
}

const byRegistry = new WeakMap<Registry, BusMetrics>();
/** A scrape must not hang on a lost connection: a consumer that does not answer in time keeps its last value. */
const LAG_TIMEOUT_MS = 1000;

interface Lag {
  pending: number;
  ackPending: number;
}

async function readLag(bus: Bus, consumer: ConsumerSpec): Promise<Lag | undefined> {
  if (!bus.isConnected()) return undefined;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), LAG_TIMEOUT_MS)));
  try {
    const info = await Promise.race([
      bus.jsm.consumers.info(consumer.streamName, consumer.durable).catch(() => undefined),
      timeout,
    ]);
    return info ? { pending: info.num_pending, ackPending: info.num_ack_pending } : undefined;
  } finally {
    clearTimeout(timer);
  }
}

function lagGauges(registry: Registry) {
  const watched = new Map<string, { bus: Bus; consumer: ConsumerSpec }>();
  let reading: Promise<void> | undefined;
  // Both gauges are collected in one scrape; one round of requests feeds both.
  const refresh = () =>
    (reading ??= (async () => {
      await Promise.all(
        [...watched.values()].map(async ({ bus, consumer }) => {
          const lag = await readLag(bus, consumer);
          if (!lag) return;
          const labels = { consumer: consumer.durable, stream: consumer.streamName };
          pending.set(labels, lag.pending);
          ackPending.set(labels, lag.ackPending);
        }),
      );
    })().finally(() => (reading = undefined)));
  const pending = new Gauge({
    name: 'bus_consumer_pending_messages',
    help: 'Messages of a durable consumer not yet delivered (queue lag), read from the server at scrape',
    labelNames: ['consumer', 'stream'],
    registers: [registry],
    collect: refresh,
  });
  const ackPending = new Gauge({
    name: 'bus_consumer_ack_pending_messages',
    help: 'Messages of a durable consumer delivered and not yet acknowledged (in flight), read at scrape',
    labelNames: ['consumer', 'stream'],
    registers: [registry],
    collect: refresh,
  });
  return (bus: Bus, consumer: ConsumerSpec) => void watched.set(consumer.durable, { bus, consumer });
}

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
    rpcDuration: new Histogram({
      name: 'bus_rpc_duration_seconds',
      help: 'Time to answer a request on the bus, by operation (service.operation) and outcome (ok or the error code)',
      labelNames: ['operation', 'outcome'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
      registers: [registry],
    }),
    watchLag: lagGauges(registry),
  };
  byRegistry.set(registry, metrics);
  return metrics;
}
