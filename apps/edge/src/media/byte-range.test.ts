import { describe, expect, it } from 'vitest';
import { parseRange as sut } from './byte-range.ts';

describe('parseRange', () => {
  it('reads the first bytes, a middle slice and the rest from an offset', () => {
    expect(sut('bytes=0-99', 1000)).toEqual({ start: 0, end: 99 });
    expect(sut('bytes=200-299', 1000)).toEqual({ start: 200, end: 299 });
    expect(sut('bytes=900-', 1000)).toEqual({ start: 900, end: 999 });
  });

  it('reads a suffix, and a suffix longer than the object as the whole of it', () => {
    expect(sut('bytes=-100', 1000)).toEqual({ start: 900, end: 999 });
    expect(sut('bytes=-5000', 1000)).toEqual({ start: 0, end: 999 });
  });

  it('cuts an end past the object to its last byte', () => {
    expect(sut('bytes=990-5000', 1000)).toEqual({ start: 990, end: 999 });
  });

  it('refuses a start at or past the end and an empty suffix as unsatisfiable', () => {
    expect(sut('bytes=1000-', 1000)).toBe('unsatisfiable');
    expect(sut('bytes=5000-6000', 1000)).toBe('unsatisfiable');
    expect(sut('bytes=-0', 1000)).toBe('unsatisfiable');
  });

  it('serves the whole object for no header, other units, several ranges, reversed or bad syntax', () => {
    for (const header of [undefined, '', 'items=0-1', 'bytes=0-1,5-6', 'bytes=9-3', 'bytes=a-b', 'bytes=-']) {
      expect(sut(header, 1000)).toBe('whole');
    }
  });
});
