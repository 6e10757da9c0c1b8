import { z } from 'zod';
import { trackSchema } from './catalog.api.ts';

/** Where one of the caller's uploads is, as `GET /api/uploads/events` pushes it. */
export const uploadLiveStatusSchema = z.enum(['processing', 'transcoding', 'ready', 'failed', 'deleted']);

/** A live status of an upload. */
export type UploadLiveStatus = z.infer<typeof uploadLiveStatusSchema>;

/**
 * The `data` of one `status` event of `GET /api/uploads/events` (Server-Sent Events): a change of
 * one of the caller's own tracks, never another user's. `track` is the catalog's view when the
 * track became ready.
 */
export const uploadStatusEventSchema = z.object({
  trackId: z.string().uuid(),
  status: uploadLiveStatusSchema,
  /** The uploaded file's name, when the event carries it. */
  filename: z.string().optional(),
  /** The title read from the tags (or the file name). */
  title: z.string().optional(),
  /** Why the upload failed, written for the person who uploaded it. */
  reason: z.string().optional(),
  /** The caller's track that already holds the same content. */
  duplicateOf: z.string().uuid().optional(),
  /** Transcoding progress, 0 to 100. */
  percent: z.number().min(0).max(100).optional(),
  track: trackSchema.optional(),
});

/** One pushed upload status. */
export type UploadStatusEvent = z.infer<typeof uploadStatusEventSchema>;
