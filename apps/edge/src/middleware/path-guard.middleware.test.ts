import { describe, expect, it } from 'vitest';
import { isBendingPath as sut } from './path-guard.middleware.ts';

describe('isBendingPath', () => {
  it('lets ordinary paths through', () => {
    for (const path of ['/', '/stream/a/aac-64k/seg-1.m4s', '/albums/x.y', '/api/tracks', '/a..b/c']) {
      expect(sut(path), path).toBe(false);
    }
  });

  it('catches dot segments, encoded dots and slashes, and backslashes', () => {
    for (const path of [
      '/a/../b',
      '/a/./b',
      '/a/..',
      '/a/%2e%2e/b',
      '/a/%2E./b',
      '/a/..%2Fb',
      '/a%2fb',
      '/a%5cb',
      '/a\\b',
    ]) {
      expect(sut(path), path).toBe(true);
    }
  });
});
