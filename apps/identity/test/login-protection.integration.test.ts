import { putSetting } from '@tonearm/bus';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { signUp, startIdentity, type IdentityUnderTest } from './identity-harness.ts';

let sut: IdentityUnderTest;

beforeAll(async () => {
  sut = await startIdentity({ label: 'identity-login' });
});

afterAll(async () => {
  await sut?.stop();
});

let addressCounter = 0;
/** A client address of its own, so the per-address limit of one test never meets another's. */
function newAddress() {
  return `198.51.100.${++addressCounter}`;
}

function login(email: string, password: string, address: string) {
  return sut.request('POST', '/api/auth/login', {
    body: { email, password },
    headers: { 'x-forwarded-for': `${address}, 10.0.0.1` },
  });
}

describe('login rate limits', () => {
  it('refuses the 11th rapid failed login for one account with 429 and Retry-After, even with the right password', async () => {
    const user = await signUp(sut);
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 10; attempt++) {
      statuses.push((await login(user.email, 'wrong password', newAddress())).status);
    }

    const eleventh = await login(user.email, 'wrong password', newAddress());
    const right = await login(user.email, user.password, newAddress());

    expect(statuses).toEqual(Array(10).fill(401));
    expect(eleventh.status).toBe(429);
    expect(eleventh.body.error.code).toBe('rate_limited');
    const retryAfter = Number(eleventh.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(900);
    expect(right.status).toBe(429);
  });

  it('limits attempts per client address across accounts, with the live setting', async () => {
    await putSetting(sut.service.bus, 'ratelimit.login', {
      perAccount: { limit: 10, windowSeconds: 900 },
      perAddress: { limit: 3, windowSeconds: 60 },
    });
    await vi.waitFor(() => expect(sut.service.settings.get('ratelimit.login').perAddress.limit).toBe(3), {
      timeout: 10_000,
    });
    const address = newAddress();
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 4; attempt++) {
      statuses.push((await login(`someone-${attempt}@example.org`, 'wrong password', address)).status);
    }
    const elsewhere = await login('someone-0@example.org', 'wrong password', newAddress());

    expect(statuses).toEqual([401, 401, 401, 429]);
    expect(Number((await login('x@example.org', 'p', address)).headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect(elsewhere.status).toBe(401);
  });
});

describe('account enumeration', () => {
  it('an unknown email goes through the same password verification as a wrong password', async () => {
    const user = await signUp(sut);
    const before = { ...sut.hasher };

    const wrong = await login(user.email, 'not the password', newAddress());
    const afterWrong = { hashes: sut.hasher.hashes, verifications: sut.hasher.verifications };
    const unknown = await login('no-such-account@example.org', 'not the password', newAddress());
    const afterUnknown = { hashes: sut.hasher.hashes, verifications: sut.hasher.verifications };

    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(unknown.body).toEqual(wrong.body);
    expect(afterWrong.verifications - before.verifications).toBe(1);
    expect(afterUnknown.verifications - afterWrong.verifications).toBe(1);
    expect(afterUnknown.hashes).toBe(before.hashes);
  });
});
