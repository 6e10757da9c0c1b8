import { z } from 'zod';
import { eventSchema } from '../envelope/event-envelope.ts';

/** Tags read from the file, or derived from its name when the file has none. */
export const trackTagsSchema = z.object({
  title: z.string().min(1),
  artist: z.string().min(1),
  album: z.string().min(1).nullable(),
  albumArtist: z.string().min(1).nullable(),
  trackNumber: z.number().int().positive().nullable(),
  discNumber: z.number().int().positive().nullable(),
  year: z.number().int().nullable(),
  genre: z.string().nullable(),
});

/** An upload finished, its object was checked to be audio, hashed and tagged. */
export const uploadCompletedV1 = eventSchema(
  'ingest.upload.completed.v1',
  1,
  z.object({
    trackId: z.string().uuid(),
    uploadId: z.string().min(1),
    ownerId: z.string().uuid(),
    source: z.object({
      key: z.string().min(1),
      filename: z.string().min(1),
      size: z.number().int().nonnegative(),
      sha256: z.string().regex(/^[0-9a-f]{64}$/),
      contentType: z.string().min(1),
    }),
    tags: trackTagsSchema,
    cover: z.object({ key: z.string().min(1), contentType: z.string().min(1) }).nullable(),
    /** What ffprobe found in the file: a hint for consumers, the transcoder probes again. */
    audio: z
      .object({
        format: z.string().min(1),
        codec: z.string().min(1),
        durationMs: z.number().int().nonnegative().nullable(),
        sampleRate: z.number().int().positive().nullable(),
        channels: z.number().int().positive().nullable(),
      })
      .optional(),
  }),
);

/** An upload was refused for good (not audio, truncated, size mismatch); the reason is for people. */
export const uploadFailedV1 = eventSchema(
  'ingest.upload.failed.v1',
  1,
  z.object({
    trackId: z.string().uuid(),
    uploadId: z.string().min(1),
    ownerId: z.string().uuid(),
    filename: z.string().min(1),
    reason: z.string().min(1),
    /** The owner's track that already holds the same content, when that is the reason. */
    duplicateOf: z.string().uuid().optional(),
  }),
);
