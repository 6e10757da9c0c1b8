import { setTimeout as sleep } from 'node:timers/promises';
import type { ConsumerMessages, JsMsg } from '@nats-io/jetstream';
import { isEventType, type ConsumerKey } from '@tonearm/contracts';
import type { Logger } from 'pino';
import { metricsOf, type Bus } from '../connection/bus-connection.ts';
import type { KnownEvent } from '../publish/event-publisher.ts';
import { exponentialBackoff, type BackoffFn } from './backoff.ts';
import {
  attachConsumer,
  DeliverySettlement,
  setupBackoff,
  type Attached,
  type Outcome,
} from './delivery-settlement.ts';
import { decodeEvent, type DecodedEvent } from './event-decoder.ts';
import {
  deliveryContext,
  PULL_EXPIRES_MS,
  runInEventContext,
  type ConsumerHandle,
  type DeliveryContext,
} from './event-consumer.ts';

/** How a batch consumer runs. */
export interface ConsumeBatchesOptions {
  /**
   * Most events handed to the handler at once. Default 256. The consumer's `maxAckPending` also
   * bounds it: the server sends no more than that many unacknowledged messages.
   */
  maxBatch?: number;
  /** How long to wait for more messages once one is there and the batch is not full. Default 10 ms. */
  maxWaitMs?: number;
  /** Delay before a failed message is delivered again, by delivery count. Default 1 s, 2 s, 4 s, ... capped at 60 s. */
  backoffMs?: BackoffFn;
  /** How often the messages of a running batch tell the server they are still being worked on. Default a third of the ack wait. */
  heartbeatMs?: number;
}

/** One event of a batch with what is known about its delivery. */
export interface BatchDelivery {
  event: KnownEvent;
  context: DeliveryContext;
}

/** What a batch handler knows besides its events. */
export interface BatchContext {
  /** The consumer's logger. */
  logger: Logger;
  /** Resets the ack wait of every message of the batch now; the bus already does so every `heartbeatMs`. */
  working(): void;
}

/**
 * Handles a batch of events, all or nothing. Returning acknowledges every message of the batch.
 * Throwing hands the events to the handler again one at a time, each then settled on its own as
 * with {@link consume}: `TransientError` or anything else retries it later, `PermanentError`
 * dead-letters it at once.
 */
export type BatchHandler = (deliveries: BatchDelivery[], batch: BatchContext) => Promise<void>;

/** A message pulled and decoded, waiting for its batch. */
interface Arrival {
  msg: JsMsg;
  decoded: DecodedEvent;
}

/** The copies of one event in a batch: the same event id delivered in several messages. */
interface Pending {
  event: KnownEvent;
  messages: JsMsg[];
}

/**
 * Runs a handler on batches of the messages of a durable pull consumer, for handlers whose cost
 * is per call rather than per event (one database transaction for many events). Messages are
 * pulled continuously; whatever arrived while the previous batch was handled, up to `maxBatch`,
 * makes the next one. Each message keeps the semantics of {@link consume}: malformed ones are
 * dead-lettered and left out of the batch, copies of one event id within a batch reach the
 * handler once, every message is acknowledged only after the handler returned, heartbeats keep
 * a slow batch alive, and when a batch fails each of its events is handled and settled alone,
 * so one bad event does not hold back the others.
 *
 * @example
 * const handle = consumeBatches(bus, 'catalog-ingest', async (deliveries) => {
 *   await projector.applyBatch(deliveries.map((d) => d.event));
 * }, { maxBatch: 256 });
 * service.onShutdown(() => handle.stop());
 */
export function consumeBatches<K extends ConsumerKey>(
  bus: Bus,
  consumer: K,
  handler: BatchHandler,
  options: ConsumeBatchesOptions = {},
): ConsumerHandle {
  const spec = bus.topology.consumer(consumer);
  const maxBatch = options.maxBatch ?? 256;
  const maxWaitMs = options.maxWaitMs ?? 10;
  if (!Number.isInteger(maxBatch) || maxBatch < 1) {
    throw new RangeError(`maxBatch must be a positive integer, got ${maxBatch}`);
  }
  if (!(maxWaitMs >= 0)) throw new RangeError(`maxWaitMs must be zero or more, got ${maxWaitMs}`);
  const logger = bus.logger.child({ consumer: spec.durable, stream: spec.streamName });
  const settlement = new DeliverySettlement(bus, spec, logger, options.backoffMs ?? exponentialBackoff());
  const metrics = metricsOf(bus);
  metrics?.watchLag(bus, spec);
  const stopping = new AbortController();
  // Messages are decoded as they arrive, so the next batch is read while the current one is handled.
  const queue: Arrival[] = [];
  let arrived: (() => void) | undefined;
  let pulling: ConsumerMessages | undefined;
  let inFlight = 0;

  const pause = (ms: number) => sleep(ms, undefined, { signal: stopping.signal }).catch(() => undefined);
  const finished = () => stopping.signal.aborted || bus.nc.isClosed();
  const signal = () => {
    arrived?.();
    arrived = undefined;
  };
  stopping.signal.addEventListener('abort', signal);

  async function pull(attached: Attached): Promise<void> {
    let failures = 0;
    while (!finished()) {
      try {
        pulling = await attached.consumer.consume({ max_messages: maxBatch, expires: PULL_EXPIRES_MS });
        if (stopping.signal.aborted) pulling.stop();
        for await (const msg of pulling) {
          // Pulled just as stop() was called: give it back at once rather than wait for the ack wait.
          if (stopping.signal.aborted) msg.nak();
          else {
            queue.push({ msg, decoded: decodeEvent(msg.data) });
            signal();
          }
        }
        failures = 0;
      } catch (err) {
        if (finished()) break;
        failures++;
        logger.warn({ err, failures }, 'pulling messages failed, retrying');
        await pause(setupBackoff(failures));
      } finally {
        pulling = undefined;
      }
    }
  }

  async function handleBatches(attached: Attached): Promise<void> {
    while (!stopping.signal.aborted) {
      if (queue.length === 0) {
        await new Promise<void>((resolve) => (arrived = resolve));
        continue;
      }
      if (queue.length < maxBatch && maxWaitMs > 0) await pause(maxWaitMs);
      await deliver(queue.splice(0, maxBatch), attached);
    }
    for (const { msg } of queue.splice(0)) msg.nak();
  }

  async function deliver(arrivals: Arrival[], attached: Attached): Promise<void> {
    const messages = arrivals.map((a) => a.msg);
    inFlight += messages.length;
    const heartbeat = setInterval(
      () => {
        for (const msg of messages) msg.working();
        for (const { msg } of queue) msg.working();
      },
      options.heartbeatMs ?? Math.max(10, attached.ackWaitMs / 3),
    );
    try {
      const batch = await decodeAll(arrivals);
      if (batch.length === 0) return;
      const endTimer = metrics?.handlerDuration.startTimer({ consumer: spec.durable, type: 'batch' });
      try {
        await handler(batch.map(toDelivery(attached)), batchContext(messages));
      } catch (error) {
        if (batch.length === 1) {
          await settleFailed(batch[0]!, error, attached);
          return;
        }
        logger.warn({ err: error, events: batch.length }, 'batch failed, handling its events one at a time');
        for (const pending of batch) await deliverAlone(pending, attached);
        return;
      } finally {
        endTimer?.();
      }
      for (const pending of batch) ack(pending);
    } catch (err) {
      logger.error({ err, messages: messages.length }, 'batch handling failed, retrying');
      for (const msg of messages) settlement.retry(msg);
    } finally {
      clearInterval(heartbeat);
      inFlight -= messages.length;
    }
  }

  /** Dead-letters the malformed messages and folds copies of one event together. */
  async function decodeAll(arrivals: Arrival[]): Promise<Pending[]> {
    const byId = new Map<string, Pending>();
    for (const { msg, decoded } of arrivals) {
      if (decoded.ok) {
        const known = byId.get(decoded.event.id);
        if (known) known.messages.push(msg);
        else byId.set(decoded.event.id, { event: decoded.event, messages: [msg] });
        continue;
      }
      const outcome = await settlement.malformed(msg, decoded);
      count(decoded.type && isEventType(decoded.type) ? decoded.type : 'unknown', outcome);
    }
    return [...byId.values()];
  }

  async function deliverAlone(pending: Pending, attached: Attached): Promise<void> {
    const { event, messages } = pending;
    const endTimer = metrics?.handlerDuration.startTimer({ consumer: spec.durable, type: event.type });
    try {
      await runInEventContext(messages[0]!, event, () =>
        handler([toDelivery(attached)(pending)], batchContext(messages)),
      );
    } catch (error) {
      await settleFailed(pending, error, attached);
      return;
    } finally {
      endTimer?.();
    }
    ack(pending);
  }

  async function settleFailed(pending: Pending, error: unknown, attached: Attached): Promise<void> {
    const eventLogger = logger.child({ eventId: pending.event.id, eventType: pending.event.type });
    for (const msg of pending.messages) {
      const outcome = await runInEventContext(msg, pending.event, () =>
        settlement.failed(msg, pending.event, error, attached.maxDeliver, eventLogger),
      );
      count(pending.event.type, outcome);
    }
  }

  /**
   * Acks without waiting for the server's confirmation, one round trip saved per message: a lost
   * ack means a redelivery, which handlers must take anyway.
   */
  function ack(pending: Pending): void {
    for (const msg of pending.messages) msg.ack();
    for (let i = 0; i < pending.messages.length; i++) count(pending.event.type, 'acked');
  }

  function toDelivery(attached: Attached) {
    return ({ event, messages }: Pending): BatchDelivery => {
      const context = deliveryContext(messages[0]!, attached, logger);
      // Most events of a batch never log: their child logger is made on first use.
      let eventLogger: Logger | undefined;
      Object.defineProperty(context, 'logger', {
        get: () => (eventLogger ??= logger.child({ eventId: event.id, eventType: event.type })),
      });
      return { event, context };
    };
  }

  function batchContext(messages: JsMsg[]): BatchContext {
    return { logger, working: () => messages.forEach((msg) => msg.working()) };
  }

  function count(type: string, outcome: Outcome): void {
    metrics?.consumed.inc({ consumer: spec.durable, type, outcome });
  }

  const running = (async () => {
    const attached = await attachConsumer(bus, spec, logger, finished, pause);
    if (!attached) return;
    logger.info({ maxBatch, maxWaitMs, ackWaitMs: attached.ackWaitMs, maxDeliver: attached.maxDeliver }, 'consuming');
    await Promise.all([pull(attached), handleBatches(attached)]);
  })().catch((err: unknown) => logger.error({ err }, 'consumer loop ended unexpectedly'));

  let stopped: Promise<void> | undefined;
  return {
    get inFlight() {
      return inFlight;
    },
    stop() {
      stopped ??= (async () => {
        stopping.abort();
        pulling?.stop();
        await running;
        logger.info('consumer stopped');
      })();
      return stopped;
    },
  };
}
