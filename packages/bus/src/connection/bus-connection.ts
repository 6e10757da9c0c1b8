import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection, Status } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import {
  busTopology,
  type BusTopology,
  type EventData,
  type EventOf,
  type EventType,
  type NewEventInput,
} from '@tonearm/contracts';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { buildEvent, publishValidated } from '../publish/event-publisher.ts';
import { busMetrics, type BusMetrics } from './bus-metrics.ts';

/** How to reach the bus. */
export interface ConnectBusOptions {
  /** NATS server URL, such as `nats://127.0.0.1:4222`. */
  url: string;
  /** Bus namespace: prefix of every subject, stream and bucket (see `busTopology`). */
  namespace: string;
  /** Connection name shown by the server, such as `transcoder:<instanceId>`. */
  name: string;
  logger: Logger;
  /** Where the bus metrics go; none are kept without it. */
  registry?: Registry;
}

/** A connection to the event bus of one namespace. */
export interface Bus {
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
  topology: BusTopology;
  logger: Logger;
  /** Whether the connection is up right now (false while reconnecting and after close). */
  isConnected(): boolean;
  /**
   * Builds, validates and publishes a new event. Correlation and causation ids default to the
   * current request context.
   *
   * @throws EventValidationError when the data does not match the type's schema (nothing is sent)
   */
  publish<T extends EventType>(
    type: T,
    input: NewEventInput<EventData<T>>,
  ): Promise<{ event: EventOf<T>; seq: number; duplicate: boolean }>;
  /** Publishes an event built before (a retry, a replay); it is validated all the same. */
  publishEvent<T extends EventType>(event: EventOf<T>): Promise<{ seq: number; duplicate: boolean }>;
  /** Drains subscriptions and pending publishes, then closes. Safe to call more than once. */
  close(): Promise<void>;
}

const internals = new WeakMap<Bus, { metrics: BusMetrics | undefined }>();

/** The metrics of a bus, when it was connected with a registry. */
export function metricsOf(bus: Bus): BusMetrics | undefined {
  return internals.get(bus)?.metrics;
}

/**
 * Connects to NATS, reconnecting forever after a loss, and logs every change of the
 * connection's state as one line.
 *
 * @example
 * const bus = await connectBus({ url: env.NATS_URL, namespace: 'tonearm', name: `transcoder:${id}`, logger });
 * await provisionTopology(bus);
 * await bus.publish('ingest.upload.completed.v1', { data });
 */
export async function connectBus(options: ConnectBusOptions): Promise<Bus> {
  const topology = busTopology(options.namespace);
  const logger = options.logger;
  const nc = await connect({
    servers: options.url,
    name: options.name,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 1000,
    reconnectJitter: 500,
    pingInterval: 20_000,
  });
  let connected = true;
  void watchStatus(nc, logger, (up) => (connected = up));
  const js = jetstream(nc);
  const jsm = await jetstreamManager(nc).catch(async (err: unknown) => {
    await nc.close();
    throw err;
  });
  const metrics = options.registry ? busMetrics(options.registry) : undefined;
  const deps = { js, topology, metrics };
  let closing: Promise<void> | undefined;

  const bus: Bus = {
    nc,
    js,
    jsm,
    topology,
    logger,
    isConnected: () => connected && !nc.isClosed(),
    async publish(type, input) {
      const event = buildEvent(type, input);
      const result = await publishValidated(deps, event);
      return { event, ...result };
    },
    publishEvent: (event) => publishValidated(deps, event),
    close() {
      closing ??= drainAndClose(nc, logger);
      return closing;
    },
  };
  internals.set(bus, { metrics });
  logger.info({ bus: { server: nc.getServer(), namespace: topology.namespace, name: options.name } }, 'bus connected');
  return bus;
}

async function drainAndClose(nc: NatsConnection, logger: Logger): Promise<void> {
  if (nc.isClosed()) return;
  try {
    await nc.drain();
  } catch (err) {
    logger.warn({ err }, 'bus drain failed, closing');
    await nc.close().catch(() => undefined);
  }
  await nc.closed();
}

async function watchStatus(nc: NatsConnection, logger: Logger, setConnected: (up: boolean) => void) {
  try {
    for await (const status of nc.status()) logStatus(status, logger, setConnected);
  } catch (err) {
    logger.error({ err }, 'bus status watch stopped');
  }
}

function logStatus(status: Status, logger: Logger, setConnected: (up: boolean) => void) {
  switch (status.type) {
    case 'disconnect':
      setConnected(false);
      logger.warn({ bus: { status: status.type, server: status.server } }, 'bus disconnected');
      break;
    case 'reconnecting':
      logger.warn({ bus: { status: status.type } }, 'bus reconnecting');
      break;
    case 'reconnect':
      setConnected(true);
      logger.info({ bus: { status: status.type, server: status.server } }, 'bus reconnected');
      break;
    case 'error':
      logger.error({ bus: { status: status.type }, err: status.error }, 'bus server error');
      break;
    case 'ldm':
      logger.warn({ bus: { status: status.type, server: status.server } }, 'bus server entering lame duck mode');
      break;
    case 'staleConnection':
    case 'forceReconnect':
      logger.warn({ bus: { status: status.type } }, `bus ${status.type}`);
      break;
    case 'slowConsumer':
      logger.warn(
        { bus: { status: status.type, subject: status.sub.getSubject(), pending: status.pending } },
        'bus slow consumer',
      );
      break;
    case 'close':
      setConnected(false);
      logger.info({ bus: { status: status.type } }, 'bus closed');
      break;
    case 'update':
      logger.info(
        { bus: { status: status.type, added: status.added, deleted: status.deleted } },
        'bus cluster changed',
      );
      break;
    case 'ping':
      break;
  }
}
