import { describe, expect, it } from 'vitest';
import { isCommonPassword, loadCommonPasswords } from './common-passwords.ts';

describe('common passwords', () => {
  const sut = loadCommonPasswords();

  it('ships ten thousand passwords, none shorter than the shortest accepted', () => {
    expect(sut.size).toBe(10_000);
    expect([...sut].every((password) => password.length >= 8)).toBe(true);
  });

  it('finds the most common ones whatever their case', () => {
    for (const password of ['password', 'PASSWORD', '12345678', 'qwertyuiop', 'Password1']) {
      expect(isCommonPassword(sut, password), password).toBe(true);
    }
  });

  it('lets an unusual passphrase through', () => {
    expect(isCommonPassword(sut, 'turntable needle on a blue vinyl')).toBe(false);
  });
});
