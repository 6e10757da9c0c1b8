import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maxOutstandingRefreshTokens } from '../src/repositories/session.repository.ts';
import { signUp, startIdentity, type IdentityUnderTest } from './identity-harness.ts';

/** The grace of the second instance: short, so a test can wait it out. */
const shortGraceSeconds = 1;

let sut: IdentityUnderTest;
let shortGrace: IdentityUnderTest;

beforeAll(async () => {
  [sut, shortGrace] = await Promise.all([
    startIdentity({ label: 'identity-grace' }),
    startIdentity({
      label: 'identity-grace-short',
      env: { IDENTITY_REFRESH_REUSE_GRACE_SECONDS: String(shortGraceSeconds) },
    }),
  ]);
});

afterAll(async () => {
  await Promise.all([sut?.stop(), shortGrace?.stop()]);
});

function refresh(on: IdentityUnderTest, refreshToken: string) {
  return on.request('POST', '/api/auth/refresh', { body: { refreshToken } });
}

async function me(on: IdentityUnderTest, token: string) {
  return (await on.request('GET', '/api/me', { token })).status;
}

function sessionIdOf(accessToken: string): string {
  return JSON.parse(Buffer.from(accessToken.split('.')[1]!, 'base64url').toString()).sid as string;
}

describe('a spent refresh token within the reuse grace (default 30 s)', () => {
  it('gets a new pair of the same session, and the session lives on', async () => {
    const user = await signUp(sut);
    const first = await refresh(sut, user.refreshToken);

    const again = await refresh(sut, user.refreshToken);

    expect(first.status).toBe(200);
    expect(again.status).toBe(200);
    expect(again.body.refreshToken).not.toBe(first.body.refreshToken);
    expect(sessionIdOf(again.body.accessToken)).toBe(sessionIdOf(user.accessToken));
    expect(await me(sut, again.body.accessToken)).toBe(200);
    expect(await me(sut, first.body.accessToken)).toBe(200);
    expect(await sut.events('identity.session.ended.v1')).not.toContainEqual(
      expect.objectContaining({ data: expect.objectContaining({ userId: user.userId }) }),
    );
  });

  it('answers two concurrent refreshes with the same token both', async () => {
    const user = await signUp(sut);

    const answers = await Promise.all([refresh(sut, user.refreshToken), refresh(sut, user.refreshToken)]);

    expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
    expect(answers[0]!.body.refreshToken).not.toBe(answers[1]!.body.refreshToken);
    expect(await me(sut, answers[0]!.body.accessToken)).toBe(200);
  });

  it('keeps both successors valid until each is used once; a used one is then a reuse', async () => {
    const user = await signUp(sut);
    const lost = await refresh(sut, user.refreshToken);
    const kept = await refresh(sut, user.refreshToken);

    const fromKept = await refresh(sut, kept.body.refreshToken);
    const fromLost = await refresh(sut, lost.body.refreshToken);
    const onward = await refresh(sut, fromLost.body.refreshToken);

    expect([fromKept.status, fromLost.status, onward.status]).toEqual([200, 200, 200]);
    expect(await me(sut, onward.body.accessToken)).toBe(200);
  });

  it('refuses the token of a logged-out session (401), grace or not', async () => {
    const user = await signUp(sut);
    const renewed = await refresh(sut, user.refreshToken);
    expect((await sut.request('POST', '/api/auth/logout', { token: renewed.body.accessToken })).status).toBe(204);

    const spent = await refresh(sut, user.refreshToken);
    const unspent = await refresh(sut, renewed.body.refreshToken);

    expect(spent.status).toBe(401);
    expect(unspent.status).toBe(401);
  });

  it(`ends the session when one spent token asks for more than ${maxOutstandingRefreshTokens} extra successors`, async () => {
    const user = await signUp(sut);
    const statuses: number[] = [];
    for (let round = 0; round < maxOutstandingRefreshTokens + 2; round++) {
      statuses.push((await refresh(sut, user.refreshToken)).status);
    }

    // The first use and the next `max` reuses are answered; the one after ends the session.
    expect(statuses.slice(0, maxOutstandingRefreshTokens + 1).every((status) => status === 200)).toBe(true);
    expect(statuses.at(-1)).toBe(401);
    expect(await me(sut, user.accessToken)).toBe(401);
  });

  it('keeps the spent token stored as a hash only', async () => {
    const user = await signUp(sut);
    await refresh(sut, user.refreshToken);
    await refresh(sut, user.refreshToken);
    const keys = await sut.redis.client.keys('*');
    const session = await sut.redis.client.hgetall(`session:${sessionIdOf(user.accessToken)}`);

    expect(keys.some((key) => key.includes(user.refreshToken))).toBe(false);
    expect(JSON.stringify(session)).not.toContain(user.refreshToken);
  });
});

describe('a spent refresh token after the reuse grace', () => {
  it('ends the whole session (401), the newer tokens included', async () => {
    const user = await signUp(shortGrace);
    const renewed = await refresh(shortGrace, user.refreshToken);
    expect(renewed.status).toBe(200);
    // Redis expires the grace key on the millisecond; a little more makes sure it is gone.
    await sleep(shortGraceSeconds * 1000 + 200);

    const reuse = await refresh(shortGrace, user.refreshToken);

    expect(reuse.status).toBe(401);
    expect(reuse.body.error.message).toMatch(/already used/);
    expect(await me(shortGrace, renewed.body.accessToken)).toBe(401);
    expect((await refresh(shortGrace, renewed.body.refreshToken)).status).toBe(401);
    expect(await shortGrace.events('identity.session.ended.v1')).toContainEqual(
      expect.objectContaining({
        data: { userId: user.userId, sessionIds: [sessionIdOf(user.accessToken)], reason: 'refresh-token-reused' },
      }),
    );
  });
});
