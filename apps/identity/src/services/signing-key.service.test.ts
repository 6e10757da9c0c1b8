import { describe, expect, it } from 'vitest';
import type { SigningKeyRow } from '../repositories/signing-key.repository.ts';
import { publishedKeys } from './signing-key.service.ts';

function key(kid: string, retiredAt: Date | null): SigningKeyRow {
  return { kid, algorithm: 'EdDSA', publicJwk: { kid }, privateJwk: { kid }, createdAt: new Date(0), retiredAt };
}

describe(publishedKeys.name, () => {
  const now = new Date('2026-01-01T12:00:00Z');
  const secondsAgo = (seconds: number) => new Date(now.getTime() - seconds * 1000);

  it('publishes the active key and keys retired within one token lifetime plus a minute of skew', () => {
    const rows = [key('active', null), key('recent', secondsAgo(900)), key('edge', secondsAgo(959))];

    expect(publishedKeys(rows, now, 900).map((row) => row.kid)).toEqual(['active', 'recent', 'edge']);
  });

  it('drops keys retired longer ago, whose tokens have all expired', () => {
    const rows = [key('active', null), key('old', secondsAgo(960)), key('ancient', secondsAgo(86_400))];

    expect(publishedKeys(rows, now, 900).map((row) => row.kid)).toEqual(['active']);
  });
});
