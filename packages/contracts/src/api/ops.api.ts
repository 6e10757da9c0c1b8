import { z } from 'zod';
import { instanceHealthSchema } from '../discovery/service-instance.ts';
import { messageDeadLetteredV1 } from '../events/ops.events.ts';

const isoDate = z.string().datetime({ offset: true });

/** One bus event as `GET /api/events` streams it (the `data:` of each Server-Sent Event). */
export const busEventMessageSchema = z.object({
  id: z.string(),
  type: z.string(),
  subject: z.string(),
  occurredAt: isoDate,
  /** The chain the event belongs to (one upload, one request); absent on events without one. */
  correlationId: z.string().optional(),
  data: z.unknown(),
});

/** One bus event as the admin feed receives it. */
export type BusEventMessage = z.infer<typeof busEventMessageSchema>;

/** `GET /api/ops/status`: services and instances with health, streams with their consumers, dead letters. */
export const opsStatusResponseSchema = z.object({
  checkedAt: isoDate.optional(),
  namespace: z.string().optional(),
  services: z.record(
    z.string(),
    z.object({
      instances: z.array(
        z.object({
          id: z.string(),
          version: z.string(),
          startedAt: isoDate.optional(),
          opsUrl: z.string().optional(),
          health: instanceHealthSchema.optional(),
        }),
      ),
    }),
  ),
  streams: z.array(
    z.object({
      key: z.string(),
      name: z.string(),
      messages: z.number().int().nullable(),
      bytes: z.number().int().nullable(),
      consumers: z.array(
        z.object({
          name: z.string(),
          durable: z.boolean().optional(),
          pending: z.number().int(),
          ackPending: z.number().int(),
          redelivered: z.number().int(),
          waiting: z.number().int().optional(),
        }),
      ),
    }),
  ),
  deadLetters: z.number().int().nonnegative(),
});

/** The answer of the ops status call. */
export type OpsStatusResponse = z.infer<typeof opsStatusResponseSchema>;

/** A dead letter without its original bytes; `seq` (its place in the ops stream) is its handle. */
export const deadLetterSummarySchema = z.object({
  seq: z.number().int().positive(),
  occurredAt: isoDate,
  consumer: z.string(),
  stream: z.string(),
  subject: z.string(),
  reason: z.enum(['max-deliveries', 'permanent-failure', 'malformed']),
  error: z.string(),
  originalEventId: z.string().nullable(),
  deliveries: z.number().int().nonnegative(),
});

/** A dead letter without its original bytes. */
export type DeadLetterSummaryResponse = z.infer<typeof deadLetterSummarySchema>;

/** `GET /api/ops/dead-letters?consumer=&limit=`: newest first. */
export const listDeadLettersQuerySchema = z.object({
  consumer: z.string().min(1).max(100).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/** `GET /api/ops/dead-letters`. */
export const listDeadLettersResponseSchema = z.object({ items: z.array(deadLetterSummarySchema) });

/** The answer of the dead-letter list. */
export type ListDeadLettersResponse = z.infer<typeof listDeadLettersResponseSchema>;

/** `GET /api/ops/dead-letters/:seq`: the summary and the dead-letter event with the original message. */
export const deadLetterResponseSchema = deadLetterSummarySchema.extend({ event: messageDeadLetteredV1 });

/** The answer of the dead-letter detail. */
export type DeadLetterResponse = z.infer<typeof deadLetterResponseSchema>;

/** `POST /api/ops/dead-letters/:seq/retry`: where the original was stored again. */
export const retryDeadLetterResponseSchema = z.object({ stream: z.string(), seq: z.number().int().positive() });

/** The answer of a dead-letter retry. */
export type RetryDeadLetterResponse = z.infer<typeof retryDeadLetterResponseSchema>;

/** The path parameter naming a dead letter: its sequence in the ops stream. */
export const deadLetterSeqSchema = z.object({ seq: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });

/** One stored event of a correlation's journey, with where it is stored. */
export const journeyEventSchema = z.object({
  stream: z.string(),
  seq: z.number().int().positive(),
  subject: z.string(),
  id: z.string(),
  type: z.string(),
  occurredAt: isoDate,
  correlationId: z.string(),
  causationId: z.string().optional(),
  data: z.unknown(),
});

/** One stored event of a journey. */
export type JourneyEvent = z.infer<typeof journeyEventSchema>;

/** A correlation id as the journey call takes it. */
export const correlationIdSchema = z.object({ correlationId: z.string().min(1).max(200) });

/** `GET /api/ops/journey/:correlationId`: every stored event of that chain, oldest first. */
export const journeyResponseSchema = z.object({
  correlationId: z.string(),
  events: z.array(journeyEventSchema),
  /** True when the scan stopped at its limit and older or later events may be missing. */
  truncated: z.boolean(),
});

/** The answer of the journey call. */
export type JourneyResponse = z.infer<typeof journeyResponseSchema>;
