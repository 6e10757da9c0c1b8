const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  // Postgres: shutting down, starting up, cannot connect now, connection failures.
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08001',
  '08003',
  '08006',
]);

const CONNECTION_MESSAGES = /Connection terminated|connection timeout|Client has encountered a connection error/i;

/**
 * Whether an error (or one of its causes) says a backing service (Postgres, S3, Redis) could not
 * be reached, as opposed to a fault of the request or of our code: such a failure is answered
 * `service_unavailable` (503, try again) rather than `internal` (500).
 *
 * @example
 * isUnreachableDependency(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })); // true
 */
export function isUnreachableDependency(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 8; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && CONNECTION_CODES.has(code)) return true;
    if (CONNECTION_MESSAGES.test(e.message)) return true;
  }
  return false;
}
