import { randomUUID } from 'node:crypto';
import { z } from 'zod';

/** An event type: `<domain>.<aggregate>.<verb>.v<version>`, for example `ingest.upload.completed.v1`. */
export const EVENT_TYPE_PATTERN = /^[a-z][a-z-]*(\.[a-z][a-z-]*)+\.v[1-9][0-9]*$/;

/** Fields every event carries, whatever its type. */
export const envelopeShape = {
  id: z.string().uuid(),
  type: z.string().regex(EVENT_TYPE_PATTERN),
  version: z.number().int().positive(),
  occurredAt: z.string().datetime({ offset: true }),
  correlationId: z.string().min(1).max(200),
  causationId: z.string().min(1).max(200).optional(),
};

/** The envelope with an unchecked payload: what a consumer can rely on before it knows the type. */
export const anyEventSchema = z.object({ ...envelopeShape, data: z.unknown() });

/** Any event, payload not yet checked against its type. */
export type AnyEvent = z.infer<typeof anyEventSchema>;

/**
 * Builds the schema of one event type: the common envelope with `type` and `version` fixed
 * and `data` checked by the given schema.
 */
export function eventSchema<T extends string, V extends number, D extends z.ZodType>(type: T, version: V, data: D) {
  return z.object({
    ...envelopeShape,
    type: z.literal(type),
    version: z.literal(version),
    data,
  });
}

/** What the caller supplies to create an event; the rest is filled in. */
export interface NewEventInput<D> {
  data: D;
  correlationId?: string;
  causationId?: string;
  id?: string;
  occurredAt?: Date;
}

/**
 * Fills in the envelope of a new event. The correlation id defaults to the event's own id, so
 * the first event of a chain starts the chain.
 *
 * @example
 * const event = newEvent('ingest.upload.completed.v1', 1, { data, correlationId: upload.correlationId });
 */
export function newEvent<T extends string, V extends number, D>(type: T, version: V, input: NewEventInput<D>) {
  const id = input.id ?? randomUUID();
  return {
    id,
    type,
    version,
    occurredAt: (input.occurredAt ?? new Date()).toISOString(),
    correlationId: input.correlationId ?? id,
    ...(input.causationId === undefined ? {} : { causationId: input.causationId }),
    data: input.data,
  };
}
