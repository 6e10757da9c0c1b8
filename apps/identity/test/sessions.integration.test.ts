import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, signUp, startIdentity, type IdentityUnderTest } from './identity-harness.ts';

let sut: IdentityUnderTest;

beforeAll(async () => {
  // Strict single use: the reuse grace has its own tests (refresh-grace.integration.test.ts).
  sut = await startIdentity({ label: 'identity-sessions', env: { IDENTITY_REFRESH_REUSE_GRACE_SECONDS: '0' } });
});

afterAll(async () => {
  await sut?.stop();
});

async function me(token: string) {
  return (await sut.request('GET', '/api/me', { token })).status;
}

function refresh(refreshToken: string) {
  return sut.request('POST', '/api/auth/refresh', { body: { refreshToken } });
}

describe('refresh tokens', () => {
  it('are single use: reusing a spent one ends the whole session, new tokens included', async () => {
    const user = await signUp(sut);
    const renewed = await refresh(user.refreshToken);
    expect(renewed.status).toBe(200);

    const reuse = await refresh(user.refreshToken);

    expect(reuse.status).toBe(401);
    expect(reuse.body.error.message).toMatch(/already used/);
    expect(await me(renewed.body.accessToken)).toBe(401);
    expect((await refresh(renewed.body.refreshToken)).status).toBe(401);
    expect(await sut.events('identity.session.ended.v1')).toContainEqual(
      expect.objectContaining({
        data: { userId: user.userId, sessionIds: [expect.any(String)], reason: 'refresh-token-reused' },
      }),
    );
  });

  it('are spent once even when two refreshes race with the same token', async () => {
    const user = await signUp(sut);

    const answers = await Promise.all([refresh(user.refreshToken), refresh(user.refreshToken)]);

    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 401]);
  });

  it('keep the session alive through a chain of rotations', async () => {
    const user = await signUp(sut);
    let token = user.refreshToken;
    for (let round = 0; round < 3; round++) {
      const renewed = await refresh(token);
      expect(renewed.status).toBe(200);
      expect(await me(renewed.body.accessToken)).toBe(200);
      token = renewed.body.refreshToken;
    }
  });

  it('are refused when unknown', async () => {
    const answer = await refresh('never-issued');

    expect(answer.status).toBe(401);
    expect(answer.body.error.code).toBe('unauthorized');
  });

  it('are stored only as hashes in Redis', async () => {
    const user = await signUp(sut);
    const prefix = sut.redis.keyPrefix;
    const keys = (await sut.redis.client.keys('*')).map((key) => key.slice(prefix.length));
    const sessions = await Promise.all(
      keys.filter((key) => key.startsWith('session:')).map((key) => sut.redis.client.hgetall(key)),
    );

    expect(sessions.length).toBeGreaterThan(0);
    expect(sessions).toContainEqual(expect.objectContaining({ userId: user.userId, refreshHash: expect.any(String) }));
    expect(keys.some((key) => key.includes(user.refreshToken))).toBe(false);
    expect(JSON.stringify(sessions)).not.toContain(user.refreshToken);
  });
});

describe('ending sessions', () => {
  it('logout ends only the session of the token it was sent with', async () => {
    const user = await signUp(sut);
    const other = await signIn(sut, user.email, user.password);

    expect((await sut.request('POST', '/api/auth/logout', { token: user.accessToken })).status).toBe(204);

    expect(await me(user.accessToken)).toBe(401);
    expect(await me(other.accessToken)).toBe(200);
    expect((await refresh(other.refreshToken)).status).toBe(200);
  });

  it("logout-all ends every session of the user and no one else's", async () => {
    const user = await signUp(sut);
    const second = await signIn(sut, user.email, user.password);
    const bystander = await signUp(sut);

    expect((await sut.request('POST', '/api/auth/logout-all', { token: user.accessToken })).status).toBe(204);

    expect(await me(user.accessToken)).toBe(401);
    expect(await me(second.accessToken)).toBe(401);
    expect((await refresh(second.refreshToken)).status).toBe(401);
    expect(await me(bystander.accessToken)).toBe(200);
    expect(await sut.events('identity.session.ended.v1')).toContainEqual(
      expect.objectContaining({
        data: { userId: user.userId, sessionIds: expect.arrayContaining([expect.any(String)]), reason: 'logout-all' },
      }),
    );
  });

  it('a password change ends every other session and keeps the one that made it', async () => {
    const user = await signUp(sut);
    const laptop = await signIn(sut, user.email, user.password);
    const phone = await signIn(sut, user.email, user.password);

    const answer = await sut.request('POST', '/api/auth/password', {
      token: user.accessToken,
      body: { currentPassword: user.password, newPassword: 'a replacement passphrase here' },
    });

    expect(answer.status).toBe(204);
    expect(await me(user.accessToken)).toBe(200);
    expect(await me(laptop.accessToken)).toBe(401);
    expect(await me(phone.accessToken)).toBe(401);
    expect((await refresh(phone.refreshToken)).status).toBe(401);
  });

  it('the session key the edge checks exists exactly while the session lives', async () => {
    const user = await signUp(sut);
    const sid = JSON.parse(Buffer.from(user.accessToken.split('.')[1]!, 'base64url').toString()).sid as string;
    expect(await sut.redis.client.exists(`session:${sid}`)).toBe(1);
    expect(await sut.redis.client.ttl(`session:${sid}`)).toBeGreaterThan(0);

    await sut.request('POST', '/api/auth/logout', { token: user.accessToken });

    expect(await sut.redis.client.exists(`session:${sid}`)).toBe(0);
  });
});
