import { describe, expect, it } from 'vitest';
import { choosePartSize, MAX_PARTS, MIN_PART_SIZE, partCount } from './presigned-multipart.ts';

const MiB = 1024 * 1024;

describe('choosePartSize', () => {
  it('never goes below the S3 minimum of 5 MiB', () => {
    expect(choosePartSize(1)).toBe(MIN_PART_SIZE);
    expect(choosePartSize(20 * MiB)).toBe(MIN_PART_SIZE);
  });

  it('grows in whole MiB so a 4 GiB file needs at most 500 parts', () => {
    const size = 4 * 1024 ** 3;
    const sut = choosePartSize(size);
    expect(sut % MiB).toBe(0);
    expect(sut).toBe(9 * MiB);
    expect(partCount(size, sut)).toBeLessThanOrEqual(500);
  });

  it('keeps every size up to 4 GiB within S3 limits', () => {
    for (const size of [1, 5 * MiB, 5 * MiB + 1, 2500 * MiB, 2501 * MiB, 4 * 1024 ** 3 - 1, 4 * 1024 ** 3]) {
      const sut = choosePartSize(size);
      expect(sut).toBeGreaterThanOrEqual(MIN_PART_SIZE);
      expect(partCount(size, sut)).toBeLessThanOrEqual(MAX_PARTS);
      expect(partCount(size, sut) * sut).toBeGreaterThanOrEqual(size);
    }
  });
});

describe('partCount', () => {
  it('counts a partial last part and at least one part', () => {
    expect(partCount(0, MIN_PART_SIZE)).toBe(1);
    expect(partCount(MIN_PART_SIZE, MIN_PART_SIZE)).toBe(1);
    expect(partCount(MIN_PART_SIZE + 1, MIN_PART_SIZE)).toBe(2);
  });
});
