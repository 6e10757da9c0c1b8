/** The bytes a `Range` header asks for, inclusive, or why it cannot be served. */
export type ByteRange = { start: number; end: number } | 'unsatisfiable' | 'whole';

/**
 * Reads a single-range `Range: bytes=…` header against an object of `size` bytes: `a-b`, `a-`
 * and the suffix `-n`. An end past the object is cut to it; a start at or past the end is
 * unsatisfiable (416). Anything else (no header, other units, several ranges, bad syntax) is
 * the whole object, as RFC 9110 allows a server to ignore such a header.
 *
 * @example
 * parseRange('bytes=0-99', 1000); // { start: 0, end: 99 }
 * parseRange('bytes=-100', 1000); // { start: 900, end: 999 }
 * parseRange('bytes=1000-', 1000); // 'unsatisfiable'
 */
export function parseRange(header: string | undefined, size: number): ByteRange {
  const match = /^bytes=(\d*)-(\d*)$/.exec(header?.trim() ?? '');
  if (!match) return 'whole';
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') return 'whole';
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  if (last !== '' && Number(last) < start) return 'whole';
  if (start >= size) return 'unsatisfiable';
  return { start, end };
}
