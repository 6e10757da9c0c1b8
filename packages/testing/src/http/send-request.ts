/** An HTTP answer with its body as text and, when it parses, as JSON. */
export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests assert on shapes
  body: any;
}

/** What a test sends: a JSON value (or a string or bytes as they are), a bearer token, more headers. */
export interface SendOptions {
  body?: unknown;
  token?: string;
  headers?: Record<string, string>;
}

/**
 * Sends one request and reads the whole answer; network failures reject.
 *
 * @example
 * const answer = await sendRequest(`${edgeUrl}/api/me`, 'GET', { token });
 */
export async function sendRequest(url: string | URL, method: string, options: SendOptions = {}): Promise<Answer> {
  const { body, token, headers = {} } = options;
  const response = await fetch(url, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    ...(body === undefined
      ? {}
      : { body: typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body) }),
  });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: response.status, headers: response.headers, text, body: parsed };
}
