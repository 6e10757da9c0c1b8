import { describe, expect, it } from 'vitest';
import { createApiTokenRequestSchema, loginRequestSchema, passwordLength, registerRequestSchema } from './auth.api.ts';

describe('registerRequestSchema', () => {
  it('trims the email and compares it in lower case', () => {
    const parsed = registerRequestSchema.parse({
      email: ' Ada@Example.ORG ',
      password: 'x'.repeat(8),
      displayName: ' Ada ',
    });

    expect(parsed).toEqual({ email: 'ada@example.org', password: 'xxxxxxxx', displayName: 'Ada' });
  });

  it.each([
    ['a password one character too short', { password: 'x'.repeat(passwordLength.min - 1) }, 'password'],
    ['a password one character too long', { password: 'x'.repeat(passwordLength.max + 1) }, 'password'],
    ['an email that is not one', { email: 'not-an-email' }, 'email'],
    ['a blank display name', { displayName: '   ' }, 'displayName'],
  ])('refuses %s', (_, change, field) => {
    const result = registerRequestSchema.safeParse({
      email: 'ada@example.org',
      password: 'correct horse',
      displayName: 'Ada',
      ...change,
    });

    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path[0])).toEqual([field]);
  });
});

describe('loginRequestSchema', () => {
  it('accepts any non-empty email string, so a malformed one fails like a wrong password', () => {
    expect(loginRequestSchema.parse({ email: 'Not An Email', password: 'p' }).email).toBe('not an email');
  });
});

describe('createApiTokenRequestSchema', () => {
  it('refuses a repeated scope, an unknown scope and no scope', () => {
    for (const scopes of [['read', 'read'], ['admin'], []]) {
      expect(createApiTokenRequestSchema.safeParse({ name: 'cli', scopes }).success).toBe(false);
    }
    expect(createApiTokenRequestSchema.parse({ name: 'cli', scopes: ['ingest', 'read'] }).scopes).toEqual([
      'ingest',
      'read',
    ]);
  });
});
