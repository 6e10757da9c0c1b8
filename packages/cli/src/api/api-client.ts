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

/**
 * Makes a client for `server`; non-2xx answers throw an {@link ApiError}.
 *
 * @example
 * const api = createApiClient('http://localhost:8080', token);
 * const me = await api.request<{ id: string }>('GET', '/api/me');
 */
export function createApiClient(server: string, token?: string): ApiClient {
  return {
    server,
    async request<T>(method: string, path: string, options: { body?: unknown; token?: string } = {}) {
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
        throw new ApiError(
          response.status,
          error?.code ?? 'http_error',
          error?.message ?? `${method} ${path} answered ${response.status}`,
          error?.details ?? body,
        );
      }
      return body as T;
    },
  };
}
