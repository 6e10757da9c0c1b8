import { callRpc, RpcError } from '@tonearm/bus';
import { resolveApiTokenRpc } from '@tonearm/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, startIdentity, type IdentityUnderTest } from './identity-harness.ts';

let sut: IdentityUnderTest;
const admin = { email: 'Founder@Example.org', password: 'the founder keeps a long secret', displayName: 'Founder' };
const listener = { email: 'listener@example.org', password: 'an ordinary but long passphrase', displayName: 'Lis' };
const named = { email: 'ops@example.org', password: 'operators choose long passwords', displayName: 'Ops' };

beforeAll(async () => {
  sut = await startIdentity({ label: 'identity-life', env: { IDENTITY_ADMIN_EMAILS: ' OPS@example.org , x@y.z' } });
});

afterAll(async () => {
  await sut?.stop();
});

describe('the account lifecycle over HTTP', () => {
  let listenerId: string;
  let session: { accessToken: string; refreshToken: string };
  let apiToken: { id: string; token: string };

  it('registers the first account of a fresh install as admin, with the email in lower case', async () => {
    const answer = await sut.request('POST', '/api/auth/register', { body: admin });

    expect(answer.status).toBe(201);
    expect(answer.body).toEqual({
      user: { id: expect.any(String), email: 'founder@example.org', displayName: 'Founder', roles: ['user', 'admin'] },
    });
  });

  it('registers later accounts as users only, and those named in IDENTITY_ADMIN_EMAILS as admins', async () => {
    const plain = await sut.request('POST', '/api/auth/register', { body: listener });
    const operator = await sut.request('POST', '/api/auth/register', { body: named });

    expect(plain.status).toBe(201);
    expect(plain.body.user.roles).toEqual(['user']);
    expect(operator.body.user.roles).toEqual(['user', 'admin']);
    listenerId = plain.body.user.id;
  });

  it('publishes identity.user.registered.v1 for each account, with no email, password or hash', async () => {
    const events = await sut.events('identity.user.registered.v1');

    expect(events.map((event) => event.data)).toEqual([
      { userId: expect.any(String), displayName: 'Founder', roles: ['user', 'admin'] },
      { userId: listenerId, displayName: 'Lis', roles: ['user'] },
      { userId: expect.any(String), displayName: 'Ops', roles: ['user', 'admin'] },
    ]);
    expect(JSON.stringify(events)).not.toMatch(/password|argon2|@example\.org/);
  });

  it('answers 409 when the email is taken, whatever its case', async () => {
    const answer = await sut.request('POST', '/api/auth/register', {
      body: { ...listener, email: 'LISTENER@example.org' },
    });

    expect(answer.status).toBe(409);
    expect(answer.body.error.code).toBe('conflict');
  });

  it('refuses a common password with 400 and the field at fault', async () => {
    const answer = await sut.request('POST', '/api/auth/register', {
      body: { email: 'weak@example.org', password: 'Password1', displayName: 'Weak' },
    });

    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({
      code: 'invalid_request',
      details: { fieldErrors: { password: [expect.stringMatching(/common/)] } },
    });
  });

  it.each([
    ['a short password', { email: 'a@example.org', password: 'short', displayName: 'A' }, 'password'],
    [
      'a password over 256 characters',
      { email: 'a@example.org', password: 'p'.repeat(257), displayName: 'A' },
      'password',
    ],
    ['a malformed email', { email: 'not-an-email', password: 'long enough really', displayName: 'A' }, 'email'],
    ['no display name', { email: 'a@example.org', password: 'long enough really' }, 'displayName'],
  ])('refuses %s with 400 and field details', async (_, body, field) => {
    const answer = await sut.request('POST', '/api/auth/register', { body });

    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe('invalid_request');
    expect(Object.keys(answer.body.error.details.fieldErrors)).toEqual([field]);
  });

  it('refuses a body that is not JSON with 400 in the API error shape', async () => {
    const answer = await sut.request('POST', '/api/auth/login', { body: '{"email":' });

    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({ error: { code: 'invalid_request', message: expect.any(String) } });
  });

  it('signs in with the password and answers a token pair, its lifetime and the user', async () => {
    const answer = await sut.request('POST', '/api/auth/login', { body: listener });

    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      accessToken: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
      refreshToken: expect.any(String),
      expiresIn: 900,
      user: { id: listenerId, email: listener.email, displayName: 'Lis', roles: ['user'] },
    });
    session = answer.body;
  });

  it('answers 401 with one message for a wrong password and for an unknown email', async () => {
    const wrong = await sut.request('POST', '/api/auth/login', { body: { ...listener, password: 'not the password' } });
    const unknown = await sut.request('POST', '/api/auth/login', {
      body: { email: 'nobody@example.org', password: 'not the password' },
    });

    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(unknown.body).toEqual(wrong.body);
  });

  it('answers the signed-in user on GET /api/me', async () => {
    const answer = await sut.request('GET', '/api/me', { token: session.accessToken });

    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ id: listenerId, email: listener.email, displayName: 'Lis', roles: ['user'] });
  });

  it('answers 401 on GET /api/me without a bearer token', async () => {
    const answer = await sut.request('GET', '/api/me');

    expect(answer.status).toBe(401);
    expect(answer.body.error.code).toBe('unauthorized');
  });

  it('renews the pair with the refresh token, and the new access token works', async () => {
    const answer = await sut.request('POST', '/api/auth/refresh', { body: { refreshToken: session.refreshToken } });

    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ accessToken: expect.any(String), refreshToken: expect.any(String), expiresIn: 900 });
    expect(answer.body.refreshToken).not.toBe(session.refreshToken);
    expect((await sut.request('GET', '/api/me', { token: answer.body.accessToken })).status).toBe(200);
    session = answer.body;
  });

  it('creates an API token with scopes and shows its secret once', async () => {
    const answer = await sut.request('POST', '/api/tokens', {
      token: session.accessToken,
      body: { name: 'laptop cli', scopes: ['ingest', 'read'] },
    });

    expect(answer.status).toBe(201);
    expect(answer.body).toEqual({
      id: expect.any(String),
      token: expect.stringMatching(/^tnat_[\w-]{43}$/),
      name: 'laptop cli',
      scopes: ['ingest', 'read'],
      createdAt: expect.any(String),
      lastUsedAt: null,
    });
    apiToken = answer.body;
  });

  it('refuses an API token with an unknown scope', async () => {
    const answer = await sut.request('POST', '/api/tokens', {
      token: session.accessToken,
      body: { name: 'x', scopes: ['root'] },
    });

    expect(answer.status).toBe(400);
    expect(Object.keys(answer.body.error.details.fieldErrors)).toEqual(['scopes']);
  });

  it('accepts the API token as a bearer token on GET /api/me', async () => {
    const answer = await sut.request('GET', '/api/me', { token: apiToken.token });

    expect(answer.status).toBe(200);
    expect(answer.body.id).toBe(listenerId);
  });

  it('resolves the API token on the bus for the edge: owner, roles and scopes', async () => {
    const resolved = await callRpc(sut.service.bus, resolveApiTokenRpc, { token: apiToken.token }, { principal: null });

    expect(resolved).toEqual({ tokenId: apiToken.id, userId: listenerId, roles: ['user'], scopes: ['ingest', 'read'] });
  });

  it('refuses to let an API token manage API tokens', async () => {
    const answer = await sut.request('GET', '/api/tokens', { token: apiToken.token });

    expect(answer.status).toBe(403);
  });

  it('lists API tokens without their secrets, with when they were last used', async () => {
    const answer = await sut.request('GET', '/api/tokens', { token: session.accessToken });

    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      items: [
        {
          id: apiToken.id,
          name: 'laptop cli',
          scopes: ['ingest', 'read'],
          createdAt: expect.any(String),
          lastUsedAt: expect.any(String),
        },
      ],
    });
    expect(JSON.stringify(answer.body)).not.toContain(apiToken.token);
  });

  it("answers 404 when revoking a token that is not the user's", async () => {
    const founder = await signIn(sut, admin.email, admin.password);

    const other = await sut.request('DELETE', `/api/tokens/${apiToken.id}`, { token: founder.accessToken });
    const malformed = await sut.request('DELETE', '/api/tokens/not-an-id', { token: session.accessToken });

    expect(other.status).toBe(404);
    expect(malformed.status).toBe(404);
  });

  it('revokes the API token: it no longer works over HTTP or on the bus', async () => {
    const answer = await sut.request('DELETE', `/api/tokens/${apiToken.id}`, { token: session.accessToken });

    expect(answer.status).toBe(204);
    expect((await sut.request('GET', '/api/me', { token: apiToken.token })).status).toBe(401);
    const resolving = callRpc(sut.service.bus, resolveApiTokenRpc, { token: apiToken.token }, { principal: null });
    await expect(resolving).rejects.toBeInstanceOf(RpcError);
    await expect(resolving).rejects.toMatchObject({ code: 'not_found' });
  });

  it('changes the password: the old one stops working, the new one signs in', async () => {
    const newPassword = 'a brand new long passphrase';
    const answer = await sut.request('POST', '/api/auth/password', {
      token: session.accessToken,
      body: { currentPassword: listener.password, newPassword },
    });

    expect(answer.status).toBe(204);
    expect((await sut.request('POST', '/api/auth/login', { body: listener })).status).toBe(401);
    expect(
      (await sut.request('POST', '/api/auth/login', { body: { ...listener, password: newPassword } })).status,
    ).toBe(200);
    expect(await sut.events('identity.user.password-changed.v1')).toEqual([
      expect.objectContaining({ data: { userId: listenerId } }),
    ]);
  });

  it('refuses a password change with a wrong current password', async () => {
    const answer = await sut.request('POST', '/api/auth/password', {
      token: session.accessToken,
      body: { currentPassword: 'not my password', newPassword: 'another long passphrase' },
    });

    expect(answer.status).toBe(400);
    expect(Object.keys(answer.body.error.details.fieldErrors)).toEqual(['currentPassword']);
  });

  it('logs out: 204, then the access token and the refresh token of the session are refused', async () => {
    const answer = await sut.request('POST', '/api/auth/logout', { token: session.accessToken });

    expect(answer.status).toBe(204);
    expect((await sut.request('GET', '/api/me', { token: session.accessToken })).status).toBe(401);
    expect(
      (await sut.request('POST', '/api/auth/refresh', { body: { refreshToken: session.refreshToken } })).status,
    ).toBe(401);
  });
});
