import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIdentity, type IdentityUnderTest } from './identity-harness.ts';

let sut: IdentityUnderTest;

beforeAll(async () => {
  sut = await startIdentity({ label: 'identity-first' });
});

afterAll(async () => {
  await sut?.stop();
});

describe('the first account of a fresh install', () => {
  it('is exactly one admin when several register at the same moment', async () => {
    const answers = await Promise.all(
      Array.from({ length: 6 }, (_, index) =>
        sut.request('POST', '/api/auth/register', {
          body: {
            email: `racer-${index}@example.org`,
            password: `a long racing passphrase ${index}`,
            displayName: 'R',
          },
        }),
      ),
    );

    expect(answers.map((answer) => answer.status)).toEqual(Array(6).fill(201));
    const admins = answers.filter((answer) => answer.body.user.roles.includes('admin'));
    expect(admins).toHaveLength(1);
  });
});
