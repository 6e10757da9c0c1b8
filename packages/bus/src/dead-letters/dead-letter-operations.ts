import { headers as natsHeaders, type MsgHdrs } from '@nats-io/nats-core';
import type { StoredMsg } from '@nats-io/jetstream';
import { eventCatalogue, type EventOf } from '@tonearm/contracts';
import type { Bus } from '../connection/bus-connection.ts';
import type { DeadLetterData } from '../consume/dead-letter.ts';

/** One dead letter still kept in the ops stream. */
export interface DeadLetterSummary {
  /** Stream sequence of the dead letter in the ops stream: its handle for `get`, `retry` and `drop`. */
  seq: number;
  occurredAt: string;
  consumer: string;
  stream: string;
  subject: string;
  reason: DeadLetterData['reason'];
  error: string;
  originalEventId: string | null;
  deliveries: number;
}

/** A dead letter with everything it carries, the original headers and bytes included. */
export interface DeadLetter extends DeadLetterSummary {
  event: EventOf<'ops.message.dead-lettered.v1'>;
}

/** Which dead letters to list. */
export interface ListDeadLettersOptions {
  /** The most to return (default 100). */
  limit?: number;
  /** Only those of this durable consumer. */
  consumer?: string;
}

/** The sequence asked for is not a dead letter of the ops stream (never was, or is gone). */
export class DeadLetterNotFoundError extends Error {
  readonly seq: number;

  constructor(seq: number) {
    super(`no dead letter at sequence ${seq} of the ops stream`);
    this.name = 'DeadLetterNotFoundError';
    this.seq = seq;
  }
}

const DEAD_LETTER_TYPE = 'ops.message.dead-lettered.v1';
/** Headers the server or the publisher set per message; a republish must not carry them over. */
const DROPPED_HEADERS = new Set(['nats-msg-id', 'nats-expected-stream', 'nats-expected-last-msg-id']);

function opsStreamName(bus: Bus): string {
  return bus.topology.stream('ops').name;
}

function toDeadLetter(bus: Bus, msg: StoredMsg): DeadLetter | undefined {
  if (msg.subject !== bus.topology.subjectOf(DEAD_LETTER_TYPE)) return undefined;
  let raw: unknown;
  try {
    raw = msg.json();
  } catch {
    return undefined;
  }
  const parsed = eventCatalogue[DEAD_LETTER_TYPE].safeParse(raw);
  if (!parsed.success) return undefined;
  const event = parsed.data as EventOf<typeof DEAD_LETTER_TYPE>;
  const { data } = event;
  return {
    seq: msg.seq,
    occurredAt: event.occurredAt,
    consumer: data.consumer,
    stream: data.stream,
    subject: data.subject,
    reason: data.reason,
    error: data.error,
    originalEventId: data.originalEventId,
    deliveries: data.deliveries,
    event,
  };
}

/**
 * The dead letters still in the ops stream, newest first.
 *
 * @example
 * const letters = await listDeadLetters(bus, { consumer: 'transcoder', limit: 20 });
 */
export async function listDeadLetters(bus: Bus, options: ListDeadLettersOptions = {}): Promise<DeadLetterSummary[]> {
  const limit = options.limit ?? 100;
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`limit must be a positive integer, not ${limit}`);
  const name = opsStreamName(bus);
  const { state } = await bus.jsm.streams.info(name);
  const letters: DeadLetterSummary[] = [];
  if (state.messages === 0) return letters;
  for (let seq = state.last_seq; seq >= state.first_seq && letters.length < limit; seq--) {
    const msg = await bus.jsm.streams.getMessage(name, { seq });
    const letter = msg ? toDeadLetter(bus, msg) : undefined;
    if (!letter || (options.consumer !== undefined && letter.consumer !== options.consumer)) continue;
    const { event: _event, ...summary } = letter;
    letters.push(summary);
  }
  return letters;
}

/**
 * One dead letter by its sequence in the ops stream.
 *
 * @throws DeadLetterNotFoundError when that sequence holds no dead letter
 */
export async function getDeadLetter(bus: Bus, seq: number): Promise<DeadLetter> {
  if (!Number.isSafeInteger(seq) || seq < 1) throw new DeadLetterNotFoundError(seq);
  const msg = await bus.jsm.streams.getMessage(opsStreamName(bus), { seq });
  const letter = msg ? toDeadLetter(bus, msg) : undefined;
  if (!letter) throw new DeadLetterNotFoundError(seq);
  return letter;
}

function originalHeaders(record: Record<string, string[]>): MsgHdrs {
  const h = natsHeaders();
  for (const [key, values] of Object.entries(record)) {
    if (DROPPED_HEADERS.has(key.toLowerCase())) continue;
    for (const value of values) h.append(key, value);
  }
  return h;
}

function originalBytes(original: DeadLetterData['original']): Uint8Array {
  return original.encoding === 'base64'
    ? new Uint8Array(Buffer.from(original.payload, 'base64'))
    : new TextEncoder().encode(original.payload);
}

/**
 * Puts a dead letter's original message back: the same bytes and headers on the original
 * subject, so its stream stores it again and its consumers get it, then removes the dead letter.
 * The message id is new (`<originalEventId>:retry:<seq>`) so the duplicate window does not drop
 * it; consumers are idempotent by event id.
 *
 * @returns the stream and sequence the original was stored at again
 * @throws DeadLetterNotFoundError when that sequence holds no dead letter
 * @example
 * const { stream, seq } = await retryDeadLetter(bus, 42);
 */
export async function retryDeadLetter(bus: Bus, seq: number): Promise<{ stream: string; seq: number }> {
  const letter = await getDeadLetter(bus, seq);
  const { original } = letter.event.data;
  const ack = await bus.js.publish(letter.subject, originalBytes(original), {
    msgID: `${letter.originalEventId ?? letter.event.id}:retry:${seq}`,
    headers: originalHeaders(original.headers),
  });
  await bus.jsm.streams.deleteMessage(opsStreamName(bus), seq);
  bus.logger.info({ deadLetter: { seq, subject: letter.subject, republishedSeq: ack.seq } }, 'dead letter retried');
  return { stream: ack.stream, seq: ack.seq };
}

/**
 * Removes a dead letter from the ops stream for good.
 *
 * @throws DeadLetterNotFoundError when that sequence holds no dead letter
 */
export async function dropDeadLetter(bus: Bus, seq: number): Promise<void> {
  await getDeadLetter(bus, seq);
  await bus.jsm.streams.deleteMessage(opsStreamName(bus), seq);
  bus.logger.info({ deadLetter: { seq } }, 'dead letter dropped');
}
