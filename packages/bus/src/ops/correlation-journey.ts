import type { JsMsg } from '@nats-io/jetstream';
import { anyEventSchema } from '@tonearm/contracts';
import type { Bus } from '../connection/bus-connection.ts';
import { EVENT_HEADERS } from '../publish/event-publisher.ts';

/** One stored event of a correlation's journey. */
export interface JourneyStep {
  stream: string;
  seq: number;
  subject: string;
  id: string;
  type: string;
  occurredAt: string;
  correlationId: string;
  causationId?: string;
  data: unknown;
}

/** What the journey found: its steps, oldest first, and whether it stopped at `limit`. */
export interface CorrelationJourney {
  correlationId: string;
  events: JourneyStep[];
  truncated: boolean;
}

/** How much of the streams the journey reads. */
export interface CorrelationJourneyOptions {
  /** The most events to answer (default 500). */
  limit?: number;
}

function toStep(msg: JsMsg, correlationId: string): JourneyStep | undefined {
  if (msg.headers?.get(EVENT_HEADERS.correlationId) !== correlationId) return undefined;
  let raw: unknown;
  try {
    raw = msg.json();
  } catch {
    return undefined;
  }
  const parsed = anyEventSchema.safeParse(raw);
  if (!parsed.success) return undefined;
  const event = parsed.data;
  return {
    stream: msg.info.stream,
    seq: msg.seq,
    subject: msg.subject,
    id: event.id,
    type: event.type,
    occurredAt: event.occurredAt,
    correlationId: event.correlationId,
    ...(event.causationId === undefined ? {} : { causationId: event.causationId }),
    data: event.data,
  };
}

async function scanStream(bus: Bus, stream: string, correlationId: string): Promise<JourneyStep[]> {
  const { state } = await bus.jsm.streams.info(stream);
  if (state.messages === 0) return [];
  // An ordered consumer keeps no state on the server and is gone when the scan ends.
  const consumer = await bus.js.consumers.get(stream);
  const messages = await consumer.consume({ max_messages: 1000 });
  const steps: JourneyStep[] = [];
  try {
    for await (const msg of messages) {
      const step = toStep(msg, correlationId);
      if (step) steps.push(step);
      if (msg.seq >= state.last_seq || msg.info.pending === 0) break;
    }
  } finally {
    messages.stop();
    await consumer.delete().catch(() => undefined);
  }
  return steps;
}

/**
 * Every stored event of the namespace's streams whose `tonearm-correlation-id` header is
 * `correlationId` (one upload through ingest, the transcoder and the catalog), oldest first. Each
 * stream is read once, up to its last message when the call began, by an ordered consumer; the
 * streams are read at once.
 *
 * @example
 * const { events } = await correlationJourney(bus, uploadCorrelationId);
 * events.map((e) => e.type); // ['ingest.upload.completed.v1', 'transcode.completed.v1', ...]
 */
export async function correlationJourney(
  bus: Bus,
  correlationId: string,
  options: CorrelationJourneyOptions = {},
): Promise<CorrelationJourney> {
  const limit = options.limit ?? 500;
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`limit must be a positive integer, not ${limit}`);
  if (correlationId.length === 0) throw new RangeError('correlationId must not be empty');
  const perStream = await Promise.all(
    bus.topology.streams.map((stream) => scanStream(bus, stream.name, correlationId)),
  );
  const events = perStream
    .flat()
    .sort((a, b) => a.occurredAt.localeCompare(b.occurredAt) || a.stream.localeCompare(b.stream) || a.seq - b.seq);
  return { correlationId, events: events.slice(0, limit), truncated: events.length > limit };
}
