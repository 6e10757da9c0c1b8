import { headers, type MsgHdrs } from '@nats-io/nats-core';
import type { JetStreamClient } from '@nats-io/jetstream';
import {
  eventCatalogue,
  isEventType,
  newEvent,
  type BusTopology,
  type EventData,
  type EventOf,
  type EventType,
  type NewEventInput,
} from '@tonearm/contracts';
import { childTraceparent, currentContext } from '@tonearm/runtime';
import { z } from 'zod';
import type { BusMetrics } from '../connection/bus-metrics.ts';

/** Any event of the catalogue, typed by its `type`. */
export type KnownEvent = { [T in EventType]: EventOf<T> }[EventType];

/** Header names the bus sets on every event it publishes, besides `Nats-Msg-Id`. */
export const EVENT_HEADERS = {
  traceparent: 'traceparent',
  correlationId: 'tonearm-correlation-id',
  causationId: 'tonearm-causation-id',
  eventType: 'tonearm-event-type',
} as const;

/**
 * An event refused before it was sent, because it does not match its catalogue schema (or its
 * type is not in the catalogue). `issues` holds zod's findings.
 */
export class EventValidationError extends Error {
  readonly eventType: string;
  readonly issues: z.core.$ZodIssue[];

  constructor(eventType: string, issues: z.core.$ZodIssue[], message: string) {
    super(`event ${eventType} is invalid: ${message}`);
    this.name = 'EventValidationError';
    this.eventType = eventType;
    this.issues = issues;
  }
}

/**
 * Checks an event against the schema of its type.
 *
 * @returns the event as the schema parsed it
 * @throws EventValidationError naming the type and every zod issue
 */
export function validateEvent<T extends EventType>(event: EventOf<T>): EventOf<T> {
  const type: unknown = (event as { type?: unknown } | null)?.type;
  if (typeof type !== 'string' || !isEventType(type)) {
    throw new EventValidationError(String(type), [], 'not a type of the event catalogue');
  }
  const result = eventCatalogue[type].safeParse(event);
  if (!result.success) throw new EventValidationError(type, result.error.issues, z.prettifyError(result.error));
  return result.data as EventOf<T>;
}

/**
 * Builds a new event of a type, filling the correlation and causation ids from the current
 * request context when the input does not set them.
 */
export function buildEvent<T extends EventType>(type: T, input: NewEventInput<EventData<T>>): EventOf<T> {
  const context = currentContext();
  const version = eventCatalogue[type].shape.version.value;
  return newEvent(type, version, {
    ...input,
    correlationId: input.correlationId ?? context?.correlationId,
    causationId: input.causationId ?? context?.causationId,
  }) as EventOf<T>;
}

/**
 * The headers of a published event: trace context (a child span of the current one), the
 * correlation and causation ids, and the type, so that tools can route without parsing JSON.
 */
export function eventHeaders(event: KnownEvent, parentTraceparent: string | undefined): MsgHdrs {
  const h = headers();
  h.set(EVENT_HEADERS.traceparent, childTraceparent(parentTraceparent));
  h.set(EVENT_HEADERS.correlationId, event.correlationId);
  if (event.causationId !== undefined) h.set(EVENT_HEADERS.causationId, event.causationId);
  h.set(EVENT_HEADERS.eventType, event.type);
  return h;
}

/** What a publisher needs from a bus. */
export interface PublisherDeps {
  js: JetStreamClient;
  topology: BusTopology;
  metrics: BusMetrics | undefined;
}

/**
 * Validates and publishes an event on its subject with `Nats-Msg-Id` set to its id, so that
 * JetStream stores it once within the duplicate window however often it is sent.
 */
export async function publishValidated<T extends EventType>(
  deps: PublisherDeps,
  event: EventOf<T>,
): Promise<{ seq: number; duplicate: boolean }> {
  const valid = validateEvent(event) as KnownEvent;
  const ack = await deps.js.publish(deps.topology.subjectOf(valid.type), JSON.stringify(valid), {
    msgID: valid.id,
    headers: eventHeaders(valid, currentContext()?.traceparent),
  });
  if (!ack.duplicate) deps.metrics?.published.inc({ type: valid.type });
  return { seq: ack.seq, duplicate: ack.duplicate };
}
