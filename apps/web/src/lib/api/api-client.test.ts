import { describe, expect, it } from 'vitest';
import { ApiClient, queryString } from './api-client.ts';
import { ApiRequestError } from './api-error.ts';

const user = { id: '7b0f8c1e-33a4-4c55-9a0e-1f7b6e2a9c01', email: 'a@b.c', displayName: 'A', roles: ['user'] };

type Handler = (path: string, init: RequestInit) => Response | Promise<Response>;

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

/** A client over an in-memory fetch that records each call, with a map for storage and recorded timers. */
function setup(handler: Handler) {
  const calls: { path: string; method: string; authorization: string | null; body: unknown }[] = [];
  const stored = new Map<string, string>();
  const timers: number[] = [];
  const sut = new ApiClient({
    fetch: async (input, init = {}) => {
      const headers = new Headers(init.headers);
      calls.push({
        path: String(input),
        method: init.method ?? 'GET',
        authorization: headers.get('authorization'),
        body: init.body ? JSON.parse(String(init.body)) : undefined,
      });
      return handler(String(input), init);
    },
    storage: {
      getItem: (key) => stored.get(key) ?? null,
      setItem: (key, value) => void stored.set(key, value),
      removeItem: (key) => void stored.delete(key),
    },
    setTimer: (_callback, ms) => timers.push(ms),
    clearTimer: () => undefined,
  });
  return { sut, calls, stored, timers };
}

const loginAnswer = { accessToken: 'access-1', refreshToken: 'refresh-1', expiresIn: 900, user };

describe('ApiClient', () => {
  it('keeps the refresh token in storage and schedules renewal before expiry on login', async () => {
    const { sut, stored, timers } = setup(() => json(200, loginAnswer));

    await expect(sut.login({ email: 'a@b.c', password: 'secret-123' })).resolves.toEqual(user);

    expect([...stored.values()]).toEqual(['refresh-1']);
    expect(timers).toEqual([840_000]);
    expect(sut.user).toEqual(user);
  });

  it('sends the access token as a bearer', async () => {
    const { sut, calls } = setup((path) => (path === '/api/auth/login' ? json(200, loginAnswer) : json(200, user)));
    await sut.login({ email: 'a@b.c', password: 'secret-123' });

    await sut.me();

    expect(calls[1]).toMatchObject({ path: '/api/me', authorization: 'Bearer access-1' });
  });

  it('renews the pair once on a 401 and repeats the call with the new token', async () => {
    const { sut, calls, stored } = setup((path, init) => {
      if (path === '/api/auth/login') return json(200, loginAnswer);
      if (path === '/api/auth/refresh')
        return json(200, { accessToken: 'access-2', refreshToken: 'refresh-2', expiresIn: 900 });
      const authorization = new Headers(init.headers).get('authorization');
      return authorization === 'Bearer access-2'
        ? json(200, user)
        : json(401, { error: { code: 'unauthorized', message: 'expired' } });
    });
    await sut.login({ email: 'a@b.c', password: 'secret-123' });

    await expect(sut.me()).resolves.toEqual(user);

    expect(calls.map((call) => call.path)).toEqual(['/api/auth/login', '/api/me', '/api/auth/refresh', '/api/me']);
    expect(calls[2]?.body).toEqual({ refreshToken: 'refresh-1' });
    expect([...stored.values()]).toEqual(['refresh-2']);
  });

  it('signs out and shows the error when the refresh token is refused', async () => {
    const { sut, stored } = setup((path) => {
      if (path === '/api/auth/login') return json(200, loginAnswer);
      return json(401, { error: { code: 'unauthorized', message: 'session ended' } });
    });
    await sut.login({ email: 'a@b.c', password: 'secret-123' });

    await expect(sut.me()).rejects.toMatchObject({ code: 'unauthorized', message: 'session ended' });

    expect(stored.size).toBe(0);
    expect(sut.user).toBeNull();
  });

  it('sends one refresh for concurrent renewals', async () => {
    const { sut, calls } = setup((path) =>
      path === '/api/auth/login' ? json(200, loginAnswer) : json(200, { ...loginAnswer, refreshToken: 'refresh-2' }),
    );
    await sut.login({ email: 'a@b.c', password: 'secret-123' });

    await Promise.all([sut.refresh(), sut.refresh(), sut.refresh()]);

    expect(calls.filter((call) => call.path === '/api/auth/refresh')).toHaveLength(1);
  });

  it('throws the API message of a failed login and keeps no tokens', async () => {
    const { sut, stored } = setup(() =>
      json(401, { error: { code: 'unauthorized', message: 'wrong email or password' } }),
    );

    const failure = sut.login({ email: 'a@b.c', password: 'nope-nope' });

    await expect(failure).rejects.toBeInstanceOf(ApiRequestError);
    await expect(failure).rejects.toMatchObject({ message: 'wrong email or password' });
    expect(stored.size).toBe(0);
  });

  it('reports a request that got no answer as a network error', async () => {
    const { sut } = setup(() => {
      throw new TypeError('fetch failed');
    });

    await expect(sut.listTracks()).rejects.toMatchObject({ code: 'network' });
  });

  it('forgets the tokens on logout even when the server call fails', async () => {
    const { sut, stored } = setup((path) => (path === '/api/auth/login' ? json(200, loginAnswer) : json(503, null)));
    await sut.login({ email: 'a@b.c', password: 'secret-123' });

    await expect(sut.logout()).rejects.toMatchObject({ code: 'service_unavailable' });

    expect(stored.size).toBe(0);
    expect(sut.user).toBeNull();
  });

  it('resumes nothing without a stored refresh token', async () => {
    const { sut, calls } = setup(() => json(500, null));

    await expect(sut.resume()).resolves.toBeNull();
    expect(calls).toHaveLength(0);
  });
});

describe('queryString', () => {
  it('encodes defined values and skips empty ones', () => {
    expect(queryString({ q: 'a b&c', limit: 5, cursor: undefined, mine: true, artistId: '' })).toBe(
      '?q=a+b%26c&limit=5&mine=true',
    );
  });

  it('is empty without values', () => {
    expect(queryString({})).toBe('');
  });
});
