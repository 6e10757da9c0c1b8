import { anyEventSchema, eventCatalogue, isEventType } from '@tonearm/contracts';
import { z } from 'zod';
import type { KnownEvent } from '../publish/event-publisher.ts';

/** A delivery read as an event of the catalogue, or the reason it is not one. */
export type DecodedEvent =
  { ok: true; event: KnownEvent } | { ok: false; error: string; eventId: string | null; type: string | undefined };

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads the bytes of a delivery as an event: UTF-8 JSON, a valid envelope, a known type and
 * data matching that type's schema. Whatever fails is described for the dead letter.
 *
 * @example
 * const decoded = decodeEvent(msg.data);
 * if (!decoded.ok) deadLetter('malformed', decoded.error);
 */
export function decodeEvent(bytes: Uint8Array): DecodedEvent {
  let json: unknown;
  try {
    json = JSON.parse(utf8.decode(bytes));
  } catch (err) {
    return refused(`not JSON: ${(err as Error).message}`, undefined);
  }
  // Most deliveries are valid: their type's schema (envelope included) is checked first, alone;
  // the envelope is checked apart only to say what is wrong with one that fails.
  const claimed = (json as { type?: unknown } | null)?.type;
  if (typeof claimed === 'string' && isEventType(claimed)) {
    const event = eventCatalogue[claimed].safeParse(json);
    if (event.success) return { ok: true, event: event.data as KnownEvent };
  }
  const envelope = anyEventSchema.safeParse(json);
  if (!envelope.success) return refused(`invalid envelope: ${z.prettifyError(envelope.error)}`, json);
  const { type } = envelope.data;
  if (!isEventType(type)) return refused(`unknown event type "${type}"`, json);
  const event = eventCatalogue[type].safeParse(json);
  if (!event.success) return refused(`invalid ${type}: ${z.prettifyError(event.error)}`, json);
  return { ok: true, event: event.data as KnownEvent };
}

function refused(error: string, json: unknown): DecodedEvent {
  const fields = typeof json === 'object' && json !== null ? (json as Record<string, unknown>) : {};
  return {
    ok: false,
    error,
    eventId: typeof fields.id === 'string' ? fields.id : null,
    type: typeof fields.type === 'string' ? fields.type : undefined,
  };
}
