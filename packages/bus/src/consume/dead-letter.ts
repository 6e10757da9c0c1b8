import { createHash } from 'node:crypto';
import type { MsgHdrs } from '@nats-io/nats-core';
import type { EventData } from '@tonearm/contracts';

/** The payload of a dead-letter event. */
export type DeadLetterData = EventData<'ops.message.dead-lettered.v1'>;

/** Why a consumer gave up on a message. */
export type DeadLetterReason = DeadLetterData['reason'];

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The original bytes as text when they are valid UTF-8, else as base64, so nothing is lost. */
export function encodePayload(bytes: Uint8Array): Pick<DeadLetterData['original'], 'encoding' | 'payload'> {
  try {
    return { encoding: 'utf8', payload: utf8.decode(bytes) };
  } catch {
    return { encoding: 'base64', payload: Buffer.from(bytes).toString('base64') };
  }
}

/** Every header of a message with all its values. */
export function headersRecord(headers: MsgHdrs | undefined): Record<string, string[]> {
  if (!headers) return {};
  return Object.fromEntries(headers.keys().map((key) => [key, headers.values(key)]));
}

/** What is known about a message a consumer gives up on. */
export interface DeadLetterInput {
  stream: string;
  consumer: string;
  subject: string;
  streamSequence: number;
  deliveries: number;
  reason: DeadLetterReason;
  error: string;
  originalEventId: string | null;
  headers: MsgHdrs | undefined;
  payload: Uint8Array;
}

/** The longest error text kept in a dead letter; stack traces can be huge. */
export const MAX_ERROR_LENGTH = 4000;

/** Builds the data of an `ops.message.dead-lettered.v1` event. */
export function deadLetterData(input: DeadLetterInput): DeadLetterData {
  return {
    stream: input.stream,
    consumer: input.consumer,
    subject: input.subject,
    streamSequence: input.streamSequence,
    deliveries: input.deliveries,
    reason: input.reason,
    error: input.error.length > MAX_ERROR_LENGTH ? `${input.error.slice(0, MAX_ERROR_LENGTH)}…` : input.error,
    originalEventId: input.originalEventId,
    original: { headers: headersRecord(input.headers), ...encodePayload(input.payload) },
  };
}

/**
 * The id of the dead letter of one stream message for one consumer. It is derived from them
 * (a name-based UUID) so that a dead letter published again after a lost term is dropped as a
 * duplicate.
 */
export function deadLetterId(stream: string, consumer: string, streamSequence: number): string {
  const hash = createHash('sha1').update(`tonearm-dead-letter\n${stream}\n${consumer}\n${streamSequence}`).digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
