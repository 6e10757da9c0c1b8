import { createHmac } from 'node:crypto';
import { base64url, decodeJwt, exportSPKI, generateKeyPair, importJWK, SignJWT, type CryptoKey, type JWK } from 'jose';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, startIdentity, type IdentityUnderTest, type SignedInUser } from './identity-harness.ts';

let sut: IdentityUnderTest;
let user: SignedInUser;
let activeKey: { kid: string; privateJwk: JWK; publicJwk: JWK };

/** The claims identity puts in a real token of the user's live session. */
function realClaims() {
  const claims = decodeJwt(user.accessToken);
  return { sid: claims.sid, roles: claims.roles };
}

/** Signs claims with identity's own private key, so only the claim under test is wrong. */
function signWithIdentityKey(build: (jwt: SignJWT) => SignJWT) {
  return importJWK(activeKey.privateJwk, 'EdDSA').then((key) =>
    build(new SignJWT(realClaims()).setProtectedHeader({ alg: 'EdDSA', kid: activeKey.kid, typ: 'JWT' })).sign(key),
  );
}

function encode(part: unknown): string {
  return base64url.encode(JSON.stringify(part));
}

async function me(token: string) {
  return sut.request('GET', '/api/me', { token });
}

beforeAll(async () => {
  sut = await startIdentity({ label: 'identity-forged' });
  await signUp(sut); // the first account is an admin; the user under test is not
  user = await signUp(sut);
  const client = new pg.Client({ connectionString: sut.database.url });
  await client.connect();
  try {
    const { rows } = await client.query<{ kid: string; private_jwk: JWK; public_jwk: JWK }>(
      'SELECT kid, private_jwk, public_jwk FROM signing_keys WHERE retired_at IS NULL',
    );
    activeKey = { kid: rows[0]!.kid, privateJwk: rows[0]!.private_jwk, publicJwk: rows[0]!.public_jwk };
  } finally {
    await client.end();
  }
});

afterAll(async () => {
  await sut?.stop();
});

describe('access tokens on GET /api/me', () => {
  it('accepts the real token (the control for every case below)', async () => {
    expect((await me(user.accessToken)).status).toBe(200);
  });

  it('accepts a token signed here with identity key and correct claims (the control of the forging helper)', async () => {
    const token = await signWithIdentityKey((jwt) =>
      jwt
        .setIssuer('tonearm-identity')
        .setAudience('tonearm')
        .setSubject(user.userId)
        .setIssuedAt()
        .setExpirationTime('5m'),
    );

    expect((await me(token)).status).toBe(200);
  });

  it('refuses a token signed with another Ed25519 key under the real kid', async () => {
    const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    const token = await new SignJWT(realClaims())
      .setProtectedHeader({ alg: 'EdDSA', kid: activeKey.kid, typ: 'JWT' })
      .setIssuer('tonearm-identity')
      .setAudience('tonearm')
      .setSubject(user.userId)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(privateKey);

    const answer = await me(token);

    expect(answer.status).toBe(401);
    expect(answer.body.error.code).toBe('unauthorized');
  });

  it('refuses an unsigned token with alg none', async () => {
    const real = decodeJwt(user.accessToken);
    const token = `${encode({ alg: 'none', kid: activeKey.kid, typ: 'JWT' })}.${encode(real)}.`;

    expect((await me(token)).status).toBe(401);
  });

  it('refuses an HS256 token whose HMAC secret is the public key', async () => {
    const publicKey = await importJWK(activeKey.publicJwk, 'EdDSA');
    const pem = await exportSPKI(publicKey as CryptoKey);
    for (const secret of [pem, JSON.stringify(activeKey.publicJwk), String(activeKey.publicJwk.x)]) {
      const signingInput = `${encode({ alg: 'HS256', kid: activeKey.kid, typ: 'JWT' })}.${encode(decodeJwt(user.accessToken))}`;
      const signature = createHmac('sha256', secret).update(signingInput).digest('base64url');

      expect((await me(`${signingInput}.${signature}`)).status).toBe(401);
    }
  });

  it('refuses an expired token signed with the real key', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await signWithIdentityKey((jwt) =>
      jwt
        .setIssuer('tonearm-identity')
        .setAudience('tonearm')
        .setSubject(user.userId)
        .setIssuedAt(now - 1_000)
        .setExpirationTime(now - 100),
    );

    expect((await me(token)).status).toBe(401);
  });

  it('refuses a token for another audience signed with the real key', async () => {
    const token = await signWithIdentityKey((jwt) =>
      jwt
        .setIssuer('tonearm-identity')
        .setAudience('another-app')
        .setSubject(user.userId)
        .setIssuedAt()
        .setExpirationTime('5m'),
    );

    expect((await me(token)).status).toBe(401);
  });

  it('refuses a token from another issuer signed with the real key', async () => {
    const token = await signWithIdentityKey((jwt) =>
      jwt
        .setIssuer('someone-else')
        .setAudience('tonearm')
        .setSubject(user.userId)
        .setIssuedAt()
        .setExpirationTime('5m'),
    );

    expect((await me(token)).status).toBe(401);
  });

  it('refuses the real token with its payload changed (roles raised to admin)', async () => {
    const [header, , signature] = user.accessToken.split('.');
    const payload = { ...decodeJwt(user.accessToken), roles: ['user', 'admin'] };
    expect(decodeJwt(user.accessToken).roles).toEqual(['user']);

    expect((await me(`${header}.${encode(payload)}.${signature}`)).status).toBe(401);
  });

  it('refuses a value that is not a JWT at all', async () => {
    for (const token of ['garbage', 'a.b.c', `${user.accessToken}x`]) expect((await me(token)).status).toBe(401);
  });
});
