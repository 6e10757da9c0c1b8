import { HttpException } from '@nestjs/common';
import { apiErrorStatus, type ApiError, type ApiErrorCode } from '@tonearm/contracts';
import { StoreUnavailableError } from '../repositories/redis-client.ts';
import { ApiException } from './api-exception.ts';

/** An HTTP answer to an error: status, headers and the `{"error": {...}}` body. */
export interface ErrorResponse {
  status: number;
  headers: Record<string, string>;
  body: ApiError;
  /** Whether it is our fault and worth a log line with the stack. */
  unexpected: boolean;
}

const codeByStatus = new Map<number, ApiErrorCode>(
  Object.entries(apiErrorStatus).map(([code, status]) => [status, code as ApiErrorCode]),
);

const messages: Partial<Record<ApiErrorCode, string>> = {
  invalid_request: 'the request is invalid',
  not_found: 'no such resource',
  payload_too_large: 'the request body is too large',
};

/** Connection failures of node and Postgres (class 08, admin shutdown 57P01-57P03). */
const unreachableCodes = /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|08\w{3}|57P0[123])$/;

/** Whether an error, or its cause, says Postgres could not be reached. */
function databaseUnreachable(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 3; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && unreachableCodes.test(code)) return true;
    if ((current as Error).message === 'Connection terminated unexpectedly') return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

function statusOf(error: unknown): number | undefined {
  if (error instanceof HttpException) return error.getStatus();
  // body-parser's errors (malformed JSON, body too large) carry their status and an `entity.*` type.
  const candidate = error as { status?: unknown; type?: unknown };
  if (
    typeof candidate?.type === 'string' &&
    candidate.type.startsWith('entity.') &&
    typeof candidate.status === 'number'
  ) {
    return candidate.status;
  }
  return undefined;
}

/**
 * Turns anything a request threw into the API's error answer: an {@link ApiException} as it
 * is, Redis or Postgres out of reach as 503, Nest's and body-parser's HTTP errors by their status, and
 * everything else as a 500 that says nothing of the cause.
 *
 * @example
 * errorResponse(new ApiException('conflict', 'email taken')).status; // 409
 */
export function errorResponse(error: unknown): ErrorResponse {
  if (error instanceof ApiException) {
    return {
      status: error.status,
      headers: error.headers,
      body: {
        error: {
          code: error.code,
          message: error.message,
          ...(error.details === undefined ? {} : { details: error.details }),
        },
      },
      unexpected: false,
    };
  }
  if (error instanceof StoreUnavailableError) {
    return {
      status: apiErrorStatus.service_unavailable,
      headers: { 'Retry-After': '5' },
      body: {
        error: {
          code: 'service_unavailable',
          message: 'sign-in is unavailable for a moment: the session store cannot be reached; try again shortly',
        },
      },
      unexpected: false,
    };
  }
  if (databaseUnreachable(error)) {
    return {
      status: apiErrorStatus.service_unavailable,
      headers: { 'Retry-After': '5' },
      body: {
        error: { code: 'service_unavailable', message: 'the account database cannot be reached; try again shortly' },
      },
      unexpected: false,
    };
  }
  const status = statusOf(error);
  const code = status === undefined ? undefined : codeByStatus.get(status);
  if (status !== undefined && code && code !== 'internal') {
    return {
      status,
      headers: {},
      body: { error: { code, message: messages[code] ?? (error as Error).message } },
      unexpected: false,
    };
  }
  return {
    status: 500,
    headers: {},
    body: { error: { code: 'internal', message: 'something went wrong on our side' } },
    unexpected: true,
  };
}
