/** An answer of the edge that was not a success, with the API's error code and message. */
export class ApiError extends Error {
  override name = 'ApiError';
  readonly status: number;
  readonly code: string;
  readonly details: unknown;

  constructor(status: number, code: string, message: string, details: unknown) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

/** A JSON client of the public API of one edge, with an optional bearer token. */
export interface ApiClient {
  readonly server: string;
  request<T>(method: string, path: string, options?: { body?: unknown; token?: string }): Promise<T>;
}

/** How a client retries answers that say "later": 429 (after its Retry-After) and 503. */
export interface RetryPolicy {
  attempts: number;
  /** Seconds to wait for a 503, doubled each time. */
  unavailableDelaySeconds: number;
  /** The longest wait accepted from a Retry-After. */
  maxWaitSeconds: number;
  onRetry?: (info: { status: number; waitSeconds: number; method: string; path: string }) => void;
}

/**
 * Seconds to wait before retrying an answer: its `Retry-After` header, else the API error's
 * `retryAfterSeconds`, else `fallback`.
 *
 * @example
 * retryDelaySeconds('3', undefined, 1) // 3
 */
export function retryDelaySeconds(header: string | null, details: unknown, fallback: number): number {
  const fromHeader = header === null ? Number.NaN : Number(header);
  if (Number.isFinite(fromHeader) && fromHeader >= 0) return fromHeader;
  const fromDetails = (details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
  if (typeof fromDetails === 'number' && Number.isFinite(fromDetails) && fromDetails >= 0) return fromDetails;
  return fallback;
}

const defaultRetry: RetryPolicy = { attempts: 5, unavailableDelaySeconds: 1, maxWaitSeconds: 3600 };

/**
 * Makes a client for `server`; non-2xx answers throw an {@link ApiError} once the retries of
 * 429 and 503 answers are spent.
 *
 * @example
 * const api = createApiClient('http://localhost:8080', token);
 * const me = await api.request<{ id: string }>('GET', '/api/me');
 */
export function createApiClient(server: string, token?: string, retryPolicy: Partial<RetryPolicy> = {}): ApiClient {
  const retry = { ...defaultRetry, ...retryPolicy };
  type Answer<T> = { ok: true; value: T } | { ok: false; failure: ApiError; retryAfter: string | null };
  const once = async <T>(
    method: string,
    path: string,
    options: { body?: unknown; token?: string },
  ): Promise<Answer<T>> => {
    const bearer = options.token ?? token;
    let response: Response;
    try {
      response = await fetch(new URL(path, server), {
        method,
        headers: {
          accept: 'application/json',
          ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
        },
        ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
      });
    } catch (error) {
      throw new ApiError(0, 'unreachable', `cannot reach ${server}: ${(error as Error).message}`, undefined);
    }
    const text = await response.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    if (!response.ok) {
      const error = (body as { error?: { code?: string; message?: string; details?: unknown } } | undefined)?.error;
      const failure = new ApiError(
        response.status,
        error?.code ?? 'http_error',
        error?.message ?? `${method} ${path} answered ${response.status}`,
        error?.details ?? body,
      );
      return { ok: false, failure, retryAfter: response.headers.get('retry-after') };
    }
    return { ok: true, value: body as T };
  };
  return {
    server,
    async request<T>(method: string, path: string, options: { body?: unknown; token?: string } = {}) {
      for (let attempt = 1; ; attempt++) {
        const answer = await once<T>(method, path, options);
        if (answer.ok) return answer.value;
        const { failure } = answer;
        const retriable = failure.status === 429 || failure.status === 503;
        if (!retriable || attempt >= retry.attempts) throw failure;
        const fallback = retry.unavailableDelaySeconds * 2 ** (attempt - 1);
        const waitSeconds = retryDelaySeconds(answer.retryAfter, failure.details, fallback);
        if (waitSeconds > retry.maxWaitSeconds) throw failure;
        retry.onRetry?.({ status: failure.status, waitSeconds, method, path });
        await new Promise((resolve) => setTimeout(resolve, waitSeconds * 1000));
      }
    },
  };
}
