import { JetStreamApiCodes, JetStreamApiError, type ConsumerConfig, type StreamConfig } from '@nats-io/jetstream';
import type { Bus } from '../connection/bus-connection.ts';
import {
  CONSUMER_FIXED,
  CONSUMER_UPDATABLE,
  configDrift,
  consumerConfigFor,
  streamConfigFor,
  STREAM_FIXED,
  STREAM_UPDATABLE,
  type ConfigDrift,
  type ConsumerOverrides,
} from './topology-config.ts';

/** How to provision the topology. */
export interface ProvisionOptions {
  /** Stream replicas: 1 on a single server, 3 on a cluster. */
  replicas?: number;
  /** Consumer settings that differ from the contracts (short ack waits in tests, for example). */
  consumerOverrides?: ConsumerOverrides;
}

/** A stream or consumer whose fixed settings differ from the topology; an operator must recreate it. */
export class TopologyConflictError extends Error {
  readonly drift: ConfigDrift[];

  constructor(what: string, drift: ConfigDrift[]) {
    super(
      `${what} exists with settings that cannot be changed in place: ${drift
        .map((d) => `${d.field} is ${JSON.stringify(d.actual)}, wanted ${JSON.stringify(d.wanted)}`)
        .join('; ')}. Delete it to let the bus recreate it.`,
    );
    this.name = 'TopologyConflictError';
    this.drift = drift;
  }
}

/**
 * Creates every stream and durable consumer of the bus's namespace, or updates those whose
 * settings differ from the topology. Running it again changes nothing.
 *
 * @throws TopologyConflictError when an existing object differs in a setting the server cannot change
 * @example
 * await provisionTopology(bus, { replicas: 3 });
 */
export async function provisionTopology(bus: Bus, options: ProvisionOptions = {}): Promise<void> {
  const replicas = options.replicas ?? 1;
  for (const spec of bus.topology.streams) {
    await ensureStream(bus, streamConfigFor(spec, replicas));
  }
  for (const spec of bus.topology.consumers) {
    await ensureConsumer(bus, spec.streamName, consumerConfigFor(spec, options.consumerOverrides?.[spec.durable]));
  }
}

async function ensureStream(bus: Bus, wanted: StreamConfig): Promise<void> {
  const existing = await bus.jsm.streams.info(wanted.name).catch(notFoundAs(JetStreamApiCodes.StreamNotFound));
  if (!existing) {
    await bus.jsm.streams.add(wanted);
    bus.logger.info({ stream: wanted.name }, 'stream created');
    return;
  }
  const fixed = configDrift(existing.config, wanted, STREAM_FIXED);
  if (fixed.length > 0) throw new TopologyConflictError(`stream ${wanted.name}`, fixed);
  const drift = configDrift(existing.config, wanted, STREAM_UPDATABLE);
  if (drift.length === 0) return;
  await bus.jsm.streams.update(wanted.name, wanted);
  bus.logger.info({ stream: wanted.name, drift }, 'stream updated');
}

async function ensureConsumer(bus: Bus, stream: string, wanted: Partial<ConsumerConfig>): Promise<void> {
  const durable = wanted.durable_name!;
  const existing = await bus.jsm.consumers.info(stream, durable).catch(notFoundAs(JetStreamApiCodes.ConsumerNotFound));
  if (!existing) {
    await bus.jsm.consumers.add(stream, wanted);
    bus.logger.info({ stream, consumer: durable }, 'consumer created');
    return;
  }
  const fixed = configDrift(existing.config, wanted, CONSUMER_FIXED);
  if (fixed.length > 0) throw new TopologyConflictError(`consumer ${durable} of ${stream}`, fixed);
  const drift = configDrift(existing.config, wanted, CONSUMER_UPDATABLE);
  if (drift.length === 0) return;
  const { description, ack_wait, max_deliver, max_ack_pending } = wanted;
  await bus.jsm.consumers.update(stream, durable, { description, ack_wait, max_deliver, max_ack_pending });
  bus.logger.info({ stream, consumer: durable, drift }, 'consumer updated');
}

function notFoundAs(code: number) {
  return (err: unknown): undefined => {
    if (err instanceof JetStreamApiError && err.code === code) return undefined;
    throw err;
  };
}
