import { decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SigningKeyService } from '../src/services/signing-key.service.ts';
import { signIn, signUp, startIdentity, type IdentityUnderTest } from './identity-harness.ts';

let sut: IdentityUnderTest;

beforeAll(async () => {
  sut = await startIdentity({ label: 'identity-keys' });
});

afterAll(async () => {
  await sut?.stop();
});

async function jwksKids(): Promise<string[]> {
  const answer = await sut.request('GET', '/.well-known/jwks.json');
  return (answer.body.keys as { kid: string }[]).map((key) => key.kid);
}

describe('signing keys', () => {
  it('publish the first key on the bus with the JWKS when identity starts on a fresh database', async () => {
    const events = await sut.events('identity.signing-keys.rotated.v1');

    expect(events).toHaveLength(1);
    expect(events[0]!.data.jwks.keys.map((key) => key.kid)).toEqual(await jwksKids());
    expect(JSON.stringify(events)).not.toMatch(/"d":/);
  });

  it('rotate: the new key signs, the old one still verifies its tokens, both are published', async () => {
    const user = await signUp(sut);
    const [oldKid] = await jwksKids();
    expect(decodeProtectedHeader(user.accessToken).kid).toBe(oldKid);

    await sut.identity.app.get(SigningKeyService).rotateKeys();
    const fresh = await signIn(sut, user.email, user.password);

    const newKid = decodeProtectedHeader(fresh.accessToken).kid;
    expect(newKid).not.toBe(oldKid);
    expect((await sut.request('GET', '/api/me', { token: user.accessToken })).status).toBe(200);
    expect((await sut.request('GET', '/api/me', { token: fresh.accessToken })).status).toBe(200);
    expect((await jwksKids()).sort()).toEqual([oldKid, newKid].sort());
    const events = await sut.events('identity.signing-keys.rotated.v1');
    expect(
      events
        .at(-1)!
        .data.jwks.keys.map((key) => key.kid)
        .sort(),
    ).toEqual([oldKid, newKid].sort());
  });

  it('never publish a private key part over HTTP', async () => {
    const answer = await sut.request('GET', '/.well-known/jwks.json');

    for (const key of answer.body.keys)
      expect(Object.keys(key).sort()).toEqual(['alg', 'crv', 'kid', 'kty', 'use', 'x']);
  });
});
