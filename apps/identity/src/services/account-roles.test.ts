import { describe, expect, it } from 'vitest';
import { rolesForNewAccount } from './account-roles.ts';

describe(rolesForNewAccount.name, () => {
  it('makes the first account of an install an admin', () => {
    expect(rolesForNewAccount('a@example.org', { isFirst: true, adminEmails: [] })).toEqual(['user', 'admin']);
  });

  it('makes a later account a user only', () => {
    expect(rolesForNewAccount('a@example.org', { isFirst: false, adminEmails: ['b@example.org'] })).toEqual(['user']);
  });

  it('makes an account named in the configuration an admin, whatever the case of its email', () => {
    expect(rolesForNewAccount('Ops@Example.org', { isFirst: false, adminEmails: ['ops@example.org'] })).toEqual([
      'user',
      'admin',
    ]);
  });
});
