import type { InstanceHealth } from '@tonearm/contracts';
import type { Bus } from '../connection/bus-connection.ts';
import { listInstances } from '../discovery/instance-lister.ts';

/** One running instance of a service, as it answered on the bus. */
export interface InstanceStatus {
  id: string;
  version: string;
  startedAt: string | undefined;
  /** Ops server of the instance (`/healthz`, `/metrics`), when it announced one. */
  opsUrl: string | undefined;
  health: InstanceHealth | undefined;
}

/** A consumer of a stream and how far behind it is. */
export interface ConsumerStatus {
  name: string;
  /** Declared in the topology and kept by the server (false for the ordered consumers of a tail). */
  durable: boolean;
  /** Messages not yet delivered. */
  pending: number;
  /** Delivered and not yet acknowledged: in flight. */
  ackPending: number;
  /** Delivered more than once and not yet acknowledged. */
  redelivered: number;
  /** Pull requests waiting on the server: a sign of idle workers. */
  waiting: number;
}

/** A stream of the namespace with its consumers; counts are null when the stream is missing. */
export interface StreamStatus {
  key: string;
  name: string;
  messages: number | null;
  bytes: number | null;
  consumers: ConsumerStatus[];
}

/** What the platform is doing, as `tonearm status` and the edge's `GET /api/ops/status` show it. */
export interface PlatformStatus {
  checkedAt: string;
  namespace: string;
  /** Services by name, each with its live instances. */
  services: Record<string, { instances: InstanceStatus[] }>;
  streams: StreamStatus[];
  /** Dead letters kept in the ops stream. */
  deadLetters: number;
}

async function streamStatus(bus: Bus, stream: { key: string; name: string }): Promise<StreamStatus> {
  const info = await bus.jsm.streams.info(stream.name).catch(() => undefined);
  const consumers: ConsumerStatus[] = [];
  if (info) {
    for await (const consumer of bus.jsm.consumers.list(stream.name)) {
      consumers.push({
        name: consumer.name,
        durable: Boolean(consumer.config.durable_name),
        pending: consumer.num_pending,
        ackPending: consumer.num_ack_pending,
        redelivered: consumer.num_redelivered,
        waiting: consumer.num_waiting,
      });
    }
  }
  consumers.sort((a, b) => Number(b.durable) - Number(a.durable) || a.name.localeCompare(b.name));
  return {
    key: stream.key,
    name: stream.name,
    messages: info?.state.messages ?? null,
    bytes: info?.state.bytes ?? null,
    consumers,
  };
}

/** How many dead letters the ops stream keeps. */
export async function countDeadLetters(bus: Bus): Promise<number> {
  const subject = bus.topology.subjectOf('ops.message.dead-lettered.v1');
  const info = await bus.jsm.streams
    .info(bus.topology.stream('ops').name, { subjects_filter: subject })
    .catch(() => undefined);
  return info?.state.subjects?.[subject] ?? 0;
}

/**
 * Everything an operator checks first, from the bus alone: every instance that answers
 * discovery (version, health), every stream of the namespace with each consumer's pending,
 * in-flight and redelivered counts, and the number of dead letters.
 *
 * @example
 * const status = await platformStatus(bus);
 * status.streams.flatMap((s) => s.consumers).filter((c) => c.pending > 0);
 */
export async function platformStatus(bus: Bus, options: { timeoutMs?: number } = {}): Promise<PlatformStatus> {
  const [instances, streams, deadLetters] = await Promise.all([
    listInstances(bus, { withHealth: true, ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}) }),
    Promise.all(bus.topology.streams.map((stream) => streamStatus(bus, stream))),
    countDeadLetters(bus),
  ]);
  const services: PlatformStatus['services'] = {};
  for (const instance of instances) {
    (services[instance.name] ??= { instances: [] }).instances.push({
      id: instance.id,
      version: instance.version,
      startedAt: instance.metadata.startedAt,
      opsUrl: instance.metadata.opsUrl,
      health: instance.health,
    });
  }
  return { checkedAt: new Date().toISOString(), namespace: bus.topology.namespace, services, streams, deadLetters };
}
