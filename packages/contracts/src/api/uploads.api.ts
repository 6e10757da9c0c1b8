import { z } from 'zod';
import { mediaTypeSchema, textField } from './text-fields.ts';
import { defineRpc } from '../rpc/rpc-definition.ts';

/** Largest file an upload may declare (the `upload.maxBytes` setting may lower it). */
export const MAX_UPLOAD_BYTES = 4 * 1024 ** 3;

const sha256Schema = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lower-case hex digits');
const uploadIdSchema = z.string().uuid();

/** Where an upload session is: open for parts, being checked, done, refused, aborted or expired. */
export const uploadStatusSchema = z.enum(['uploading', 'processing', 'completed', 'failed', 'aborted', 'expired']);

/** The status of an upload session. */
export type UploadStatus = z.infer<typeof uploadStatusSchema>;

/** A part to PUT: its number (from 1) and the presigned URL that takes its bytes. */
export const presignedPartSchema = z.object({ partNumber: z.number().int().min(1), url: z.string().url() });

/** A part the object store has received, with the ETag its PUT answered. */
export const receivedPartSchema = z.object({
  partNumber: z.number().int().min(1),
  etag: z.string(),
  size: z.number().int().nonnegative(),
});

/** `POST /api/uploads`: a new upload session. The file name is kept for the tag fallback. */
export const createUploadRequestSchema = z.object({
  filename: textField().trim().min(1).max(255),
  size: z.number().int().nonnegative(),
  contentType: mediaTypeSchema.optional(),
  sha256: sha256Schema.optional(),
});

/** `201` of `POST /api/uploads`: every part cut at `partSize` bytes (the last may be shorter). */
export const createUploadResponseSchema = z.object({
  uploadId: uploadIdSchema,
  trackId: z.string().uuid(),
  partSize: z.number().int().positive(),
  parts: z.array(presignedPartSchema).min(1),
});

/** `GET /api/uploads/:uploadId`: where the session is, the parts received, fresh URLs for the rest. */
export const uploadStateSchema = z.object({
  uploadId: uploadIdSchema,
  trackId: z.string().uuid(),
  status: uploadStatusSchema,
  filename: z.string(),
  size: z.number().int().nonnegative(),
  partSize: z.number().int().positive(),
  partCount: z.number().int().positive(),
  /** Parts already received, to skip when resuming. */
  parts: z.array(receivedPartSchema),
  /** URLs for the parts still missing, while the session is open. */
  missingParts: z.array(presignedPartSchema),
  /** Why the upload was refused, when it was. */
  reason: z.string().optional(),
  /** The track that already holds the same content, when the upload was refused as a duplicate. */
  duplicateOf: z.string().uuid().optional(),
});

/** `POST /api/uploads/:uploadId/complete`: every part with the ETag its PUT answered. */
export const completeUploadRequestSchema = z.object({
  uploadId: uploadIdSchema,
  parts: z
    .array(z.object({ partNumber: z.number().int().min(1).max(10_000), etag: z.string().min(1).max(200) }))
    .min(1)
    .max(10_000),
});

/** `202` of the completion: the file is being checked; the outcome comes as an event. */
export const completeUploadResponseSchema = z.object({
  trackId: z.string().uuid(),
  status: z.literal('processing'),
});

/**
 * `POST /api/uploads`. 409 `conflict` with details `{trackId}` when the declared sha256 is already
 * in the caller's library; 413 `payload_too_large` over the `upload.maxBytes` setting; 400 for an
 * empty file; 429 `rate_limited` with details `{retryAfterSeconds}` over the `ratelimit.upload`
 * setting (sessions opened per user in its window).
 */
export const createUploadRpc = defineRpc({
  service: 'ingest',
  operation: 'create-upload',
  access: 'user',
  description: 'Opens an upload session with presigned part URLs',
  input: createUploadRequestSchema,
  output: createUploadResponseSchema,
});

/** `GET /api/uploads/:uploadId`; another user's upload is `not_found`. */
export const getUploadRpc = defineRpc({
  service: 'ingest',
  operation: 'get-upload',
  access: 'user',
  description: 'The parts of an upload already received, to resume it',
  input: z.object({ uploadId: uploadIdSchema }),
  output: uploadStateSchema,
});

/**
 * `POST /api/uploads/:uploadId/complete`. 400 when parts are missing or the size differs from the
 * declared one, 409 with `{trackId}` when the declared sha256 is already in the library.
 */
export const completeUploadRpc = defineRpc({
  service: 'ingest',
  operation: 'complete-upload',
  access: 'user',
  description: 'Assembles the parts and starts checking the file',
  input: completeUploadRequestSchema,
  output: completeUploadResponseSchema,
});

/** `DELETE /api/uploads/:uploadId`: the parts are discarded, nothing is left behind. */
export const abortUploadRpc = defineRpc({
  service: 'ingest',
  operation: 'abort-upload',
  access: 'user',
  description: 'Aborts an upload session and discards its parts',
  input: z.object({ uploadId: uploadIdSchema }),
  output: z.object({ uploadId: uploadIdSchema, status: z.literal('aborted') }),
});

/** The answer of `POST /api/uploads`. */
export type CreateUploadResponse = z.infer<typeof createUploadResponseSchema>;

/** The answer of `GET /api/uploads/:uploadId`. */
export type UploadState = z.infer<typeof uploadStateSchema>;

/** The answer of `POST /api/uploads/:uploadId/complete`. */
export type CompleteUploadResponse = z.infer<typeof completeUploadResponseSchema>;
