import { setTimeout as sleep } from 'node:timers/promises';
import type { ConsumerMessages, JsMsg } from '@nats-io/jetstream';
import { isEventType, type ConsumerKey } from '@tonearm/contracts';
import { runWithContext } from '@tonearm/runtime';
import type { Logger } from 'pino';
import { metricsOf, type Bus } from '../connection/bus-connection.ts';
import { EVENT_HEADERS, type KnownEvent } from '../publish/event-publisher.ts';
import { exponentialBackoff, type BackoffFn } from './backoff.ts';
import {
  attachConsumer,
  DeliverySettlement,
  setupBackoff,
  type Attached,
  type Outcome,
} from './delivery-settlement.ts';
import { decodeEvent } from './event-decoder.ts';

/** How a consumer runs. */
export interface ConsumeOptions {
  /** Handlers running at once; each pulls one message at a time, so nothing waits unacked in a buffer. Default 1. */
  concurrency?: number;
  /** Delay before a failed message is delivered again, by delivery count. Default 1 s, 2 s, 4 s, ... capped at 60 s. */
  backoffMs?: BackoffFn;
  /** How often a running handler tells the server it is still working. Default a third of the ack wait. */
  heartbeatMs?: number;
}

/** What a handler knows about the delivery besides the event. */
export interface DeliveryContext {
  subject: string;
  /** 1 for the first delivery. */
  deliveryCount: number;
  /** The last delivery the consumer allows (Infinity when unlimited). */
  maxDeliver: number;
  streamSequence: number;
  /** Resets the ack wait now; the bus already does so every `heartbeatMs` while the handler runs. */
  working(): void;
  /** The consumer's logger with the event's correlation id, id and type. */
  logger: Logger;
}

/**
 * Handles one event. Returning acknowledges it; throwing `TransientError` (or anything else)
 * retries it later, throwing `PermanentError` dead-letters it at once.
 */
export type EventHandler = (event: KnownEvent, context: DeliveryContext) => Promise<void>;

/** A running consumer. */
export interface ConsumerHandle {
  /** Stops pulling, lets running handlers finish (and acknowledges them), then resolves. */
  stop(): Promise<void>;
  /** Handlers running right now. */
  readonly inFlight: number;
}

/** How long one pull request waits on the server for a message. */
export const PULL_EXPIRES_MS = 30_000;

/**
 * Runs a handler on every message of a durable pull consumer of the topology: explicit acks,
 * bounded concurrency, ack-wait heartbeats, retries with backoff, dead letters for what cannot
 * be handled. The loop survives any error, including lost connections.
 *
 * @example
 * const handle = consume(bus, 'transcoder', async (event, { logger }) => {
 *   if (event.type !== 'ingest.upload.completed.v1') return;
 *   await transcode(event.data);
 * }, { concurrency: 2 });
 * service.onShutdown(() => handle.stop());
 */
export function consume<K extends ConsumerKey>(
  bus: Bus,
  consumer: K,
  handler: EventHandler,
  options: ConsumeOptions = {},
): ConsumerHandle {
  const spec = bus.topology.consumer(consumer);
  const concurrency = options.concurrency ?? 1;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError(`concurrency must be a positive integer, got ${concurrency}`);
  }
  const logger = bus.logger.child({ consumer: spec.durable, stream: spec.streamName });
  const settlement = new DeliverySettlement(bus, spec, logger, options.backoffMs ?? exponentialBackoff());
  const metrics = metricsOf(bus);
  metrics?.watchLag(bus, spec);
  const stopping = new AbortController();
  const batches = new Set<ConsumerMessages>();
  let inFlight = 0;

  const pause = (ms: number) => sleep(ms, undefined, { signal: stopping.signal }).catch(() => undefined);
  const finished = () => stopping.signal.aborted || bus.nc.isClosed();

  async function work(attached: Attached): Promise<void> {
    let failures = 0;
    while (!finished()) {
      let batch: ConsumerMessages | undefined;
      try {
        batch = await attached.consumer.fetch({ max_messages: 1, expires: PULL_EXPIRES_MS });
        batches.add(batch);
        if (stopping.signal.aborted) void batch.close();
        for await (const msg of batch) {
          // Pulled just as stop() was called: give it back at once rather than wait for the ack wait.
          if (stopping.signal.aborted) msg.nak();
          else await deliver(msg, attached);
        }
        failures = 0;
      } catch (err) {
        if (finished()) break;
        failures++;
        logger.warn({ err, failures }, 'pulling messages failed, retrying');
        await pause(setupBackoff(failures));
      } finally {
        if (batch) batches.delete(batch);
      }
    }
  }

  async function deliver(msg: JsMsg, attached: Attached): Promise<void> {
    inFlight++;
    let type = 'unknown';
    let outcome: Outcome = 'retried';
    try {
      const decoded = decodeEvent(msg.data);
      if (decoded.ok) {
        type = decoded.event.type;
        outcome = await handle(msg, decoded.event, attached);
      } else {
        if (decoded.type && isEventType(decoded.type)) type = decoded.type;
        outcome = await settlement.malformed(msg, decoded);
      }
    } catch (err) {
      logger.error({ err, streamSequence: msg.seq }, 'delivery handling failed, retrying');
      settlement.retry(msg);
    } finally {
      inFlight--;
      metrics?.consumed.inc({ consumer: spec.durable, type, outcome });
    }
  }

  async function handle(msg: JsMsg, event: KnownEvent, attached: Attached): Promise<Outcome> {
    const eventLogger = logger.child({ eventId: event.id, eventType: event.type });
    const context = deliveryContext(msg, attached, eventLogger);
    const heartbeat = setInterval(() => msg.working(), options.heartbeatMs ?? Math.max(10, attached.ackWaitMs / 3));
    const endTimer = metrics?.handlerDuration.startTimer({ consumer: spec.durable, type: event.type });
    let failure: { error: unknown } | undefined;
    try {
      await runInEventContext(msg, event, () => handler(event, context));
    } catch (error) {
      failure = { error };
    } finally {
      clearInterval(heartbeat);
      endTimer?.();
    }
    // Settling logs too (retry, dead letter): in the event's context, so those lines carry its correlation id.
    if (failure) {
      const { error } = failure;
      return runInEventContext(msg, event, () =>
        settlement.failed(msg, event, error, attached.maxDeliver, eventLogger),
      );
    }
    await runInEventContext(msg, event, () =>
      msg.ackAck().catch((err: unknown) => {
        eventLogger.warn({ err }, 'ack not confirmed; the event may be delivered again');
      }),
    );
    return 'acked';
  }

  const running = (async () => {
    const attached = await attachConsumer(bus, spec, logger, finished, pause);
    if (!attached) return;
    logger.info({ concurrency, ackWaitMs: attached.ackWaitMs, maxDeliver: attached.maxDeliver }, 'consuming');
    await Promise.all(Array.from({ length: concurrency }, () => work(attached)));
  })().catch((err: unknown) => logger.error({ err }, 'consumer loop ended unexpectedly'));

  let stopped: Promise<void> | undefined;
  return {
    get inFlight() {
      return inFlight;
    },
    stop() {
      stopped ??= (async () => {
        stopping.abort();
        for (const batch of batches) void batch.close();
        await running;
        logger.info('consumer stopped');
      })();
      return stopped;
    },
  };
}

/** What a handler is told about one delivery. */
export function deliveryContext(msg: JsMsg, attached: Attached, logger: Logger): DeliveryContext {
  return {
    subject: msg.subject,
    deliveryCount: msg.info.deliveryCount,
    maxDeliver: attached.maxDeliver,
    streamSequence: msg.seq,
    working: () => msg.working(),
    logger,
  };
}

/** Runs work with the event's correlation id, its id as causation and the delivery's trace parent. */
export function runInEventContext<T>(msg: JsMsg, event: KnownEvent, work: () => Promise<T>): Promise<T> {
  const traceparent = msg.headers?.get(EVENT_HEADERS.traceparent) || undefined;
  return runWithContext({ correlationId: event.correlationId, causationId: event.id, traceparent }, work);
}
