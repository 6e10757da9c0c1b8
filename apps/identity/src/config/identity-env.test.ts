import { loadEnv } from '@tonearm/runtime';
import { describe, expect, it } from 'vitest';
import { identityEnvShape, identityHttpUrl } from './identity-env.ts';

describe('identityEnvShape', () => {
  it('has working defaults: port 3001 on 127.0.0.1, 15 minute tokens, proxy trusted', () => {
    const sut = loadEnv(identityEnvShape, {});

    expect(sut).toMatchObject({
      IDENTITY_HOST: '127.0.0.1',
      IDENTITY_PORT: 3001,
      IDENTITY_DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/tonearm_identity',
      IDENTITY_TRUST_PROXY: true,
      IDENTITY_ADMIN_EMAILS: [],
      IDENTITY_ACCESS_TOKEN_TTL_SECONDS: 900,
      IDENTITY_REFRESH_REUSE_GRACE_SECONDS: 30,
    });
  });

  it('splits admin emails on commas, trimmed and in lower case', () => {
    expect(loadEnv(identityEnvShape, { IDENTITY_ADMIN_EMAILS: ' A@x.org,, b@Y.org ' }).IDENTITY_ADMIN_EMAILS).toEqual([
      'a@x.org',
      'b@y.org',
    ]);
  });

  it.each([
    ['an access token lifetime over 15 minutes', { IDENTITY_ACCESS_TOKEN_TTL_SECONDS: '901' }],
    ['a database URL that is not Postgres', { IDENTITY_DATABASE_URL: 'mysql://db/identity' }],
    ['a Redis prefix with spaces', { IDENTITY_REDIS_PREFIX: 'my prefix' }],
    ['a port out of range', { IDENTITY_PORT: '70000' }],
    ['a refresh reuse grace over 5 minutes', { IDENTITY_REFRESH_REUSE_GRACE_SECONDS: '301' }],
    ['a negative refresh reuse grace', { IDENTITY_REFRESH_REUSE_GRACE_SECONDS: '-1' }],
  ])('refuses %s', (_, environment) => {
    expect(() => loadEnv(identityEnvShape, environment)).toThrow(Object.keys(environment)[0]);
  });
});

describe(identityHttpUrl.name, () => {
  it('announces the listening host and port, or IDENTITY_HTTP_URL when set', () => {
    expect(identityHttpUrl({})).toBe('http://127.0.0.1:3001');
    expect(identityHttpUrl({ IDENTITY_HOST: '::1', IDENTITY_PORT: '4000' })).toBe('http://[::1]:4000');
    expect(identityHttpUrl({ IDENTITY_HTTP_URL: 'http://identity.internal:80' })).toBe('http://identity.internal:80');
  });

  it('answers undefined for invalid variables, leaving their report to the service host', () => {
    expect(identityHttpUrl({ IDENTITY_PORT: 'not-a-port' })).toBeUndefined();
  });
});
