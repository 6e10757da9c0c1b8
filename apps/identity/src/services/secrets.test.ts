import { describe, expect, it } from 'vitest';
import { newSecret, sha256Hex } from './secrets.ts';

describe(newSecret.name, () => {
  it('makes 256 random bits as base64url after the prefix, different every time', () => {
    const secrets = new Set(Array.from({ length: 100 }, () => newSecret('tnat_')));

    expect(secrets.size).toBe(100);
    for (const secret of secrets) {
      expect(secret).toMatch(/^tnat_[\w-]{43}$/);
      expect(Buffer.from(secret.slice(5), 'base64url')).toHaveLength(32);
    }
  });
});

describe(sha256Hex.name, () => {
  it('answers the sha256 as lower-case hex', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
