import { describe, expect, it } from 'vitest';
import { ApiClient } from '../api/api-client.ts';
import { ApiRequestError } from '../api/api-error.ts';

const user = { id: '7b0f8c1e-33a4-4c55-9a0e-1f7b6e2a9c01', email: 'a@b.c', displayName: 'A', roles: ['admin'] };

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

/** A signed-in client whose fetch answers from `handler` and records method, path and bearer. */
async function signedIn(handler: (path: string, call: number) => Response) {
  const calls: { method: string; path: string; authorization: string | null }[] = [];
  let pair = 0;
  const sut = new ApiClient({
    fetch: async (input, init = {}) => {
      const path = String(input);
      if (path === '/api/auth/login' || path === '/api/auth/refresh') {
        pair += 1;
        return json(200, { accessToken: `access-${pair}`, refreshToken: `refresh-${pair}`, expiresIn: 900, user });
      }
      calls.push({
        method: init.method ?? 'GET',
        path,
        authorization: new Headers(init.headers).get('authorization'),
      });
      return handler(path, calls.length);
    },
    setTimer: () => 0,
    clearTimer: () => undefined,
  });
  await sut.login({ email: 'a@b.c', password: 'secret-123' });
  return { sut, calls };
}

describe('ApiClient admin calls', () => {
  it('opens the bus event stream with fetch and the bearer header, never a token in the URL', async () => {
    const { sut, calls } = await signedIn(() => new Response('data: {}\n\n', { status: 200 }));

    const body = await sut.busEvents({ subject: 'ingest.>' });

    expect(body).toBeInstanceOf(ReadableStream);
    expect(calls).toEqual([
      { method: 'GET', path: '/api/events?subject=ingest.%3E', authorization: 'Bearer access-1' },
    ]);
  });

  it('renews the access token once when the stream answers 401', async () => {
    const { sut, calls } = await signedIn((_path, call) =>
      call === 1
        ? json(401, { error: { code: 'unauthorized', message: 'expired' } })
        : new Response('', { status: 200 }),
    );

    await sut.busEvents();

    expect(calls.map((c) => c.authorization)).toEqual(['Bearer access-1', 'Bearer access-2']);
  });

  it("answers a non-admin's 403 as an error fit to show", async () => {
    const { sut } = await signedIn(() =>
      json(403, { error: { code: 'forbidden', message: 'this needs the admin role' } }),
    );

    const failure = await sut.busEvents().catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(ApiRequestError);
    expect((failure as ApiRequestError).status).toBe(403);
  });

  it('calls the dead-letter and journey routes with the right methods and paths', async () => {
    const { sut, calls } = await signedIn((path) =>
      path.endsWith('/ops/dead-letters/7') && calls.at(-1)?.method === 'DELETE'
        ? new Response(null, { status: 204 })
        : json(200, {}),
    );

    await sut.opsStatus();
    await sut.listDeadLetters({ consumer: 'transcoder', limit: 5 });
    await sut.getDeadLetter(7);
    await sut.retryDeadLetter(7);
    await sut.dropDeadLetter(7);
    await sut.journey('req/1');

    expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual([
      'GET /api/ops/status',
      'GET /api/ops/dead-letters?consumer=transcoder&limit=5',
      'GET /api/ops/dead-letters/7',
      'POST /api/ops/dead-letters/7/retry',
      'DELETE /api/ops/dead-letters/7',
      'GET /api/ops/journey/req%2F1',
    ]);
  });
});
