import type { ApiErrorCode } from '@tonearm/contracts';

/** What the listener reads when the API answers with a code but no useful message. */
const fallbackMessages: Record<ApiErrorCode | 'network', string> = {
  invalid_request: 'Some of what you entered is not valid.',
  unauthorized: 'Please sign in again.',
  forbidden: 'You are not allowed to do that.',
  not_found: 'That could not be found.',
  conflict: 'That already exists.',
  payload_too_large: 'That file is too large.',
  rate_limited: 'Too many attempts. Please wait a moment and try again.',
  internal: 'Something went wrong on our side. Please try again.',
  service_unavailable: 'The service is unavailable right now. Please try again shortly.',
  network: 'Cannot reach Tonearm. Check your connection and try again.',
};

const statusCodes: Record<number, ApiErrorCode> = {
  400: 'invalid_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  429: 'rate_limited',
  503: 'service_unavailable',
};

/**
 * An error answer of the public API (or no answer at all: code `network`), carrying the message to show.
 * @example
 * try { await api.login(input) } catch (error) { if (error instanceof ApiRequestError) message = error.message }
 */
export class ApiRequestError extends Error {
  readonly code: ApiErrorCode | 'network';
  readonly status: number;
  readonly details: unknown;
  /** Seconds to wait before trying again, from `Retry-After` on a 429. */
  readonly retryAfterSeconds: number | undefined;

  constructor(
    code: ApiErrorCode | 'network',
    status: number,
    message: string,
    options: { details?: unknown; retryAfterSeconds?: number } = {},
  ) {
    super(message);
    this.name = 'ApiRequestError';
    this.code = code;
    this.status = status;
    this.details = options.details;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

function isKnownCode(code: unknown): code is ApiErrorCode {
  return typeof code === 'string' && code !== 'network' && Object.hasOwn(fallbackMessages, code);
}

/**
 * Turns an error answer into an {@link ApiRequestError}: the API's own code and message when the body
 * is the `{"error": {code, message}}` shape, otherwise a code from the status and a readable message.
 * @example
 * toApiError(429, { error: { code: 'rate_limited', message: 'slow down' } }, '30') // retryAfterSeconds 30
 */
export function toApiError(status: number, body: unknown, retryAfter?: string | null): ApiRequestError {
  const error = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | null)?.error;
  const code: ApiErrorCode = isKnownCode(error?.code)
    ? error.code
    : (statusCodes[status] ?? (status >= 500 ? 'internal' : 'invalid_request'));
  const message =
    typeof error?.message === 'string' && error.message.trim() !== '' ? error.message : fallbackMessages[code];
  const seconds = retryAfter ? Number(retryAfter) : Number.NaN;
  return new ApiRequestError(code, status, message, {
    details: error?.details,
    retryAfterSeconds: Number.isFinite(seconds) && seconds >= 0 ? seconds : undefined,
  });
}

/** The error for a request that got no answer (offline, DNS, connection refused). */
export function networkError(cause: unknown): ApiRequestError {
  const error = new ApiRequestError('network', 0, fallbackMessages.network);
  error.cause = cause;
  return error;
}

/** A message for any thrown value, for display. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error && error.message) return error.message;
  return fallbackMessages.internal;
}
