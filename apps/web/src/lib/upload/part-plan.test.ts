import { describe, expect, it } from 'vitest';
import { partsToSend } from './part-plan.ts';

const urls = [1, 2, 3].map((partNumber) => ({ partNumber, url: `u${partNumber}` }));

describe('partsToSend', () => {
  it('cuts every part at the part size, the last one shorter', () => {
    expect(partsToSend(12, 5, urls)).toEqual([
      { partNumber: 1, url: 'u1', start: 0, end: 5 },
      { partNumber: 2, url: 'u2', start: 5, end: 10 },
      { partNumber: 3, url: 'u3', start: 10, end: 12 },
    ]);
  });

  it('skips the parts already received, to resume', () => {
    expect(partsToSend(12, 5, urls, [1, 3]).map((part) => part.partNumber)).toEqual([2]);
  });

  it('answers parts in order whatever order the URLs came in', () => {
    expect(partsToSend(12, 5, [...urls].reverse()).map((part) => part.partNumber)).toEqual([1, 2, 3]);
  });

  it('refuses a URL for a part past the end of the file and a bad part size', () => {
    expect(() => partsToSend(10, 5, urls)).toThrow(/part 3 is outside a file of 2 parts/);
    expect(() => partsToSend(10, 0, urls)).toThrow(/part size must be positive/);
  });
});
