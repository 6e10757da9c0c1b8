import { z } from 'zod';
import { eventSchema } from '../envelope/event-envelope.ts';

/**
 * A message a consumer gave up on: it failed on its last allowed delivery, failed for good, or
 * was malformed. Carries the original bytes so that an operator can read it and put it back.
 */
export const messageDeadLetteredV1 = eventSchema(
  'ops.message.dead-lettered.v1',
  1,
  z.object({
    stream: z.string().min(1),
    consumer: z.string().min(1),
    subject: z.string().min(1),
    streamSequence: z.number().int().nonnegative(),
    deliveries: z.number().int().nonnegative(),
    reason: z.enum(['max-deliveries', 'permanent-failure', 'malformed']),
    error: z.string(),
    originalEventId: z.string().nullable(),
    original: z.object({
      headers: z.record(z.string(), z.array(z.string())),
      encoding: z.enum(['utf8', 'base64']),
      payload: z.string(),
    }),
  }),
);
