import type { ApiErrorCode } from '@tonearm/contracts';

/**
 * An error a handler means the caller to see: its code becomes the HTTP status at the edge and
 * its message is shown as it is, so it must be written for people and hold no secrets.
 *
 * @example
 * throw new RpcError('not_found', 'no such track');
 */
export class RpcError extends Error {
  readonly code: ApiErrorCode;
  readonly details: unknown;

  constructor(code: ApiErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'RpcError';
    this.code = code;
    this.details = details;
  }
}
