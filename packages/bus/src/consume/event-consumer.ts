import { setTimeout as sleep } from 'node:timers/promises';
import type { Consumer, ConsumerMessages, JsMsg } from '@nats-io/jetstream';
import { millis } from '@nats-io/nats-core';
import { isEventType, type ConsumerKey } from '@tonearm/contracts';
import { runWithContext } from '@tonearm/runtime';
import type { Logger } from 'pino';
import { metricsOf, type Bus } from '../connection/bus-connection.ts';
import { EVENT_HEADERS, type KnownEvent } from '../publish/event-publisher.ts';
import { exponentialBackoff, type BackoffFn } from './backoff.ts';
import { PermanentError } from './consume-errors.ts';
import { deadLetterData, deadLetterId, type DeadLetterReason } from './dead-letter.ts';
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
const PULL_EXPIRES_MS = 30_000;
const DEAD_LETTER_ATTEMPTS = 3;
const setupBackoff = exponentialBackoff({ initialMs: 250, maxMs: 5000 });

interface Attached {
  consumer: Consumer;
  ackWaitMs: number;
  maxDeliver: number;
}

type Outcome = 'acked' | 'retried' | 'dead-lettered' | 'malformed';

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
  const backoffMs = options.backoffMs ?? exponentialBackoff();
  const logger = bus.logger.child({ consumer: spec.durable, stream: spec.streamName });
  const metrics = metricsOf(bus);
  const stopping = new AbortController();
  const batches = new Set<ConsumerMessages>();
  let inFlight = 0;

  const pause = (ms: number) => sleep(ms, undefined, { signal: stopping.signal }).catch(() => undefined);
  const finished = () => stopping.signal.aborted || bus.nc.isClosed();

  async function attach(): Promise<Attached | undefined> {
    for (let attempt = 1; !finished(); attempt++) {
      try {
        const pull = await bus.js.consumers.get(spec.streamName, spec.durable);
        const { config } = await pull.info(true);
        return {
          consumer: pull,
          ackWaitMs: millis(config.ack_wait ?? 30_000_000_000),
          maxDeliver: config.max_deliver && config.max_deliver > 0 ? config.max_deliver : Infinity,
        };
      } catch (err) {
        logger.error({ err, attempt }, 'consumer not available, retrying');
        await pause(setupBackoff(attempt));
      }
    }
    return undefined;
  }

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
    const deliveryCount = msg.info.deliveryCount;
    let type = 'unknown';
    let outcome: Outcome = 'retried';
    try {
      const decoded = decodeEvent(msg.data);
      if (decoded.ok) {
        type = decoded.event.type;
        outcome = await handle(msg, decoded.event, attached, deliveryCount);
      } else {
        if (decoded.type && isEventType(decoded.type)) type = decoded.type;
        logger.error({ streamSequence: msg.seq, subject: msg.subject, reason: decoded.error }, 'malformed message');
        const done = await deadLetter(msg, deliveryCount, 'malformed', decoded.error, decoded.eventId, undefined);
        outcome = done ? 'malformed' : 'retried';
      }
    } catch (err) {
      logger.error({ err, streamSequence: msg.seq }, 'delivery handling failed, retrying');
      msg.nak(backoffMs(deliveryCount));
    } finally {
      inFlight--;
      metrics?.consumed.inc({ consumer: spec.durable, type, outcome });
    }
  }

  async function handle(msg: JsMsg, event: KnownEvent, attached: Attached, deliveryCount: number): Promise<Outcome> {
    const eventLogger = logger.child({ eventId: event.id, eventType: event.type });
    const context: DeliveryContext = {
      subject: msg.subject,
      deliveryCount,
      maxDeliver: attached.maxDeliver,
      streamSequence: msg.seq,
      working: () => msg.working(),
      logger: eventLogger,
    };
    const heartbeat = setInterval(() => msg.working(), options.heartbeatMs ?? Math.max(10, attached.ackWaitMs / 3));
    const endTimer = metrics?.handlerDuration.startTimer({ consumer: spec.durable, type: event.type });
    const traceparent = msg.headers?.get(EVENT_HEADERS.traceparent) || undefined;
    let failure: { error: unknown } | undefined;
    try {
      await runWithContext({ correlationId: event.correlationId, causationId: event.id, traceparent }, () =>
        handler(event, context),
      );
    } catch (error) {
      failure = { error };
    } finally {
      clearInterval(heartbeat);
      endTimer?.();
    }
    if (!failure) {
      await msg.ackAck().catch((err: unknown) => {
        eventLogger.warn({ err }, 'ack not confirmed; the event may be delivered again');
      });
      return 'acked';
    }
    const { error } = failure;
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof PermanentError) {
      eventLogger.error({ err: error, deliveryCount }, 'handler failed for good, dead-lettering');
      return (await deadLetter(msg, deliveryCount, 'permanent-failure', message, event.id, event))
        ? 'dead-lettered'
        : 'retried';
    }
    if (deliveryCount >= attached.maxDeliver) {
      eventLogger.error({ err: error, deliveryCount }, 'handler failed on the last allowed delivery, dead-lettering');
      return (await deadLetter(msg, deliveryCount, 'max-deliveries', message, event.id, event))
        ? 'dead-lettered'
        : 'retried';
    }
    const delayMs = backoffMs(deliveryCount);
    msg.nak(delayMs);
    eventLogger.warn({ err: error, deliveryCount, delayMs }, 'handler failed, retrying later');
    return 'retried';
  }

  async function deadLetter(
    msg: JsMsg,
    deliveryCount: number,
    reason: DeadLetterReason,
    error: string,
    originalEventId: string | null,
    event: KnownEvent | undefined,
  ): Promise<boolean> {
    const data = deadLetterData({
      stream: spec.streamName,
      consumer: spec.durable,
      subject: msg.subject,
      streamSequence: msg.seq,
      deliveries: deliveryCount,
      reason,
      error,
      originalEventId,
      headers: msg.headers,
      payload: msg.data,
    });
    const id = deadLetterId(spec.streamName, spec.durable, msg.seq);
    for (let attempt = 1; attempt <= DEAD_LETTER_ATTEMPTS; attempt++) {
      try {
        await bus.publish('ops.message.dead-lettered.v1', {
          id,
          data,
          correlationId: event?.correlationId ?? (isUsableId(originalEventId) ? originalEventId : id),
          ...(event ? { causationId: event.id } : {}),
        });
        msg.term();
        return true;
      } catch (err) {
        logger.error({ err, attempt, streamSequence: msg.seq, reason }, 'dead letter not published');
        if (attempt < DEAD_LETTER_ATTEMPTS) await sleep(250 * attempt);
      }
    }
    // Keep the message rather than drop it: it is delivered again, unless this was its last delivery,
    // in which case it stays in the stream and the server's max-deliveries advisory names it.
    msg.nak(backoffMs(deliveryCount));
    return false;
  }

  const running = (async () => {
    const attached = await attach();
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

function isUsableId(id: string | null): id is string {
  return typeof id === 'string' && id.length > 0 && id.length <= 200;
}
