import { z } from 'zod';
import { eventSchema } from '../envelope/event-envelope.ts';

/** A track was deleted by its owner or an admin; storage owners remove its objects. */
export const trackDeletedV1 = eventSchema(
  'catalog.track.deleted.v1',
  1,
  z.object({
    trackId: z.string().uuid(),
    ownerId: z.string().uuid(),
    deletedBy: z.string().uuid(),
  }),
);
