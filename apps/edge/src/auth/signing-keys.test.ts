import { exportJWK, generateKeyPair, jwtVerify, SignJWT, type CryptoKey, type JWK } from 'jose';
import { pino } from 'pino';
import { beforeAll, describe, expect, it } from 'vitest';
import { signingKeys } from './signing-keys.ts';

const logger = pino({ level: 'silent' });
let first: { privateKey: CryptoKey; jwk: JWK };
let second: { privateKey: CryptoKey; jwk: JWK };

async function keyPair(kid: string) {
  const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
  return { privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'EdDSA', use: 'sig' } };
}

function token(key: { privateKey: CryptoKey; jwk: JWK }) {
  return new SignJWT({})
    .setProtectedHeader({ alg: 'EdDSA', kid: key.jwk.kid! })
    .setExpirationTime('5m')
    .sign(key.privateKey);
}

beforeAll(async () => {
  first = await keyPair('first');
  second = await keyPair('second');
});

describe('signingKeys', () => {
  it('fetches the set again when a token names an unknown kid', async () => {
    const published = { keys: [first.jwk] };
    let fetches = 0;
    const sut = signingKeys({ logger, cooldownMs: 0, fetchJwks: async () => (fetches++, published) });
    await sut.refresh();
    published.keys = [first.jwk, second.jwk];

    await expect(jwtVerify(await token(second), sut.getKey)).resolves.toBeTruthy();
    expect(fetches).toBe(2);
  });

  it('fetches at most once per cooldown for unknown kids, so forged kids cannot hammer identity', async () => {
    let fetches = 0;
    const sut = signingKeys({ logger, cooldownMs: 60_000, fetchJwks: async () => (fetches++, { keys: [first.jwk] }) });
    await sut.refresh();

    for (let i = 0; i < 5; i++) await expect(jwtVerify(await token(second), sut.getKey)).rejects.toThrow();
    expect(fetches).toBe(1);
    await expect(jwtVerify(await token(first), sut.getKey)).resolves.toBeTruthy();
  });

  it('keeps verifying with the last set while identity cannot be reached', async () => {
    let up = true;
    const sut = signingKeys({
      logger,
      cooldownMs: 0,
      fetchJwks: async () => {
        if (!up) throw new Error('connection refused');
        return { keys: [first.jwk] };
      },
    });
    await sut.refresh();
    up = false;

    expect(await sut.refresh()).toBe(false);
    await expect(jwtVerify(await token(first), sut.getKey)).resolves.toBeTruthy();
  });

  it('takes a new set from update, as the rotation event brings it', async () => {
    const sut = signingKeys({ logger, cooldownMs: 60_000, fetchJwks: async () => ({ keys: [first.jwk] }) });
    await sut.refresh();

    sut.update({ keys: [second.jwk] });

    await expect(jwtVerify(await token(second), sut.getKey)).resolves.toBeTruthy();
  });

  it('refuses a set that is not a JWKS', async () => {
    const sut = signingKeys({ logger, fetchJwks: async () => ({ nope: true }) });

    expect(await sut.refresh()).toBe(false);
    expect(() => sut.update({ keys: 'x' } as never)).toThrow();
  });
});
