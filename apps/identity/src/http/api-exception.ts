import { apiErrorStatus, type ApiErrorCode } from '@tonearm/contracts';

/**
 * An error meant for the caller: the code picks the HTTP status (`apiErrorStatus`), the message
 * is shown as it is (written for people, no secrets), headers are added (`Retry-After`).
 *
 * @example
 * throw new ApiException('unauthorized', 'wrong email or password');
 */
export class ApiException extends Error {
  readonly code: ApiErrorCode;
  readonly details: unknown;
  readonly headers: Record<string, string>;

  constructor(
    code: ApiErrorCode,
    message: string,
    options: { details?: unknown; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.name = 'ApiException';
    this.code = code;
    this.details = options.details;
    this.headers = options.headers ?? {};
  }

  get status(): number {
    return apiErrorStatus[this.code];
  }
}
