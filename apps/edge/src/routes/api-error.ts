import { apiErrorStatus, type ApiError, type ApiErrorCode } from '@tonearm/contracts';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** Sends the API's error body, `{"error": {"code", "message", "details?"}}`, with the status its code goes with. */
export function apiError(c: Context, code: ApiErrorCode, message: string, details?: unknown) {
  const body: ApiError = { error: { code, message, ...(details === undefined ? {} : { details }) } };
  return c.json(body, apiErrorStatus[code] as ContentfulStatusCode);
}
