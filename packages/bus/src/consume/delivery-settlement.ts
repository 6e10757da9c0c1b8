import { setTimeout as sleep } from 'node:timers/promises';
import type { Consumer, JsMsg } from '@nats-io/jetstream';
import { millis } from '@nats-io/nats-core';
import type { ConsumerSpec } from '@tonearm/contracts';
import type { Logger } from 'pino';
import type { Bus } from '../connection/bus-connection.ts';
import type { KnownEvent } from '../publish/event-publisher.ts';
import { exponentialBackoff, type BackoffFn } from './backoff.ts';
import { PermanentError } from './consume-errors.ts';
import { deadLetterData, deadLetterId, type DeadLetterReason } from './dead-letter.ts';
import type { DecodedEvent } from './event-decoder.ts';

/** What became of one delivery, the `outcome` label of `bus_events_consumed_total`. */
export type Outcome = 'acked' | 'retried' | 'dead-lettered' | 'malformed';

/** A durable consumer found on the server with the settings deliveries are judged by. */
export interface Attached {
  consumer: Consumer;
  ackWaitMs: number;
  maxDeliver: number;
}

const DEAD_LETTER_ATTEMPTS = 3;

/** Delays between attempts to find a consumer or to pull again after an error. */
export const setupBackoff = exponentialBackoff({ initialMs: 250, maxMs: 5000 });

/**
 * Finds a durable consumer, retrying with backoff until it exists or `finished()` says to give up
 * (then undefined).
 */
export async function attachConsumer(
  bus: Bus,
  spec: ConsumerSpec,
  logger: Logger,
  finished: () => boolean,
  pause: (ms: number) => Promise<void>,
): Promise<Attached | undefined> {
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

/**
 * Settles deliveries that were not handled: dead letters for what can never be, delayed
 * redelivery for the rest. Shared by the one-at-a-time and the batch consumers so both treat
 * a failure alike.
 */
export class DeliverySettlement {
  readonly bus: Bus;
  readonly spec: ConsumerSpec;
  readonly logger: Logger;
  readonly backoffMs: BackoffFn;

  constructor(bus: Bus, spec: ConsumerSpec, logger: Logger, backoffMs: BackoffFn) {
    this.bus = bus;
    this.spec = spec;
    this.logger = logger;
    this.backoffMs = backoffMs;
  }

  /** Dead-letters a delivery that is not an event of the catalogue. */
  async malformed(msg: JsMsg, decoded: Extract<DecodedEvent, { ok: false }>): Promise<Outcome> {
    this.logger.error({ streamSequence: msg.seq, subject: msg.subject, reason: decoded.error }, 'malformed message');
    const done = await this.deadLetter(msg, 'malformed', decoded.error, decoded.eventId, undefined);
    return done ? 'malformed' : 'retried';
  }

  /**
   * A handler failed on this delivery: `PermanentError` and the last allowed delivery end in the
   * dead letters, anything else is delivered again after the backoff.
   */
  async failed(msg: JsMsg, event: KnownEvent, error: unknown, maxDeliver: number, logger: Logger): Promise<Outcome> {
    const deliveryCount = msg.info.deliveryCount;
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof PermanentError) {
      logger.error({ err: error, deliveryCount }, 'handler failed for good, dead-lettering');
      return (await this.deadLetter(msg, 'permanent-failure', message, event.id, event)) ? 'dead-lettered' : 'retried';
    }
    if (deliveryCount >= maxDeliver) {
      logger.error({ err: error, deliveryCount }, 'handler failed on the last allowed delivery, dead-lettering');
      return (await this.deadLetter(msg, 'max-deliveries', message, event.id, event)) ? 'dead-lettered' : 'retried';
    }
    const delayMs = this.backoffMs(deliveryCount);
    msg.nak(delayMs);
    logger.warn({ err: error, deliveryCount, delayMs }, 'handler failed, retrying later');
    return 'retried';
  }

  /** Delivers again after the backoff, when settling itself went wrong. */
  retry(msg: JsMsg): void {
    msg.nak(this.backoffMs(msg.info.deliveryCount));
  }

  /**
   * Publishes the dead letter, then terminates the delivery. When the dead letter cannot be
   * published the message is kept (delivered again) rather than dropped; answers whether it was.
   */
  async deadLetter(
    msg: JsMsg,
    reason: DeadLetterReason,
    error: string,
    originalEventId: string | null,
    event: KnownEvent | undefined,
  ): Promise<boolean> {
    const { spec } = this;
    const data = deadLetterData({
      stream: spec.streamName,
      consumer: spec.durable,
      subject: msg.subject,
      streamSequence: msg.seq,
      deliveries: msg.info.deliveryCount,
      reason,
      error,
      originalEventId,
      headers: msg.headers,
      payload: msg.data,
    });
    const id = deadLetterId(spec.streamName, spec.durable, msg.seq);
    for (let attempt = 1; attempt <= DEAD_LETTER_ATTEMPTS; attempt++) {
      try {
        await this.bus.publish('ops.message.dead-lettered.v1', {
          id,
          data,
          correlationId: event?.correlationId ?? (isUsableId(originalEventId) ? originalEventId : id),
          ...(event ? { causationId: event.id } : {}),
        });
        msg.term();
        return true;
      } catch (err) {
        this.logger.error({ err, attempt, streamSequence: msg.seq, reason }, 'dead letter not published');
        if (attempt < DEAD_LETTER_ATTEMPTS) await sleep(250 * attempt);
      }
    }
    // Keep the message rather than drop it: it is delivered again, unless this was its last delivery,
    // in which case it stays in the stream and the server's max-deliveries advisory names it.
    this.retry(msg);
    return false;
  }
}

function isUsableId(id: string | null): id is string {
  return typeof id === 'string' && id.length > 0 && id.length <= 200;
}
