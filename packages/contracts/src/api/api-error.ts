import { z } from 'zod';

/** Machine-readable error codes of the public API, each with the HTTP status it is sent with. */
export const apiErrorStatus = {
  invalid_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  rate_limited: 429,
  internal: 500,
  service_unavailable: 503,
} as const;

/** A machine-readable error code. */
export type ApiErrorCode = keyof typeof apiErrorStatus;

/** The body of every error answer: `{"error": {"code", "message", "details?"}}`. */
export const apiErrorSchema = z.object({
  error: z.object({
    code: z.enum(Object.keys(apiErrorStatus) as [ApiErrorCode, ...ApiErrorCode[]]),
    message: z.string(),
    details: z.unknown().optional(),
  }),
});

/** The body of an error answer. */
export type ApiError = z.infer<typeof apiErrorSchema>;
