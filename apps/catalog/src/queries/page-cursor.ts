/**
 * Encodes a position in a keyset-ordered list as an opaque base64url string.
 *
 * @example
 * encodeCursor(['2026-03-01T10:00:00+00:00', 'id-1']); // 'WyIyMDI2...'
 */
export function encodeCursor(key: string[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/**
 * Reads a cursor made by {@link encodeCursor}; undefined when it is not one of ours or does not
 * hold `length` strings.
 *
 * @example
 * decodeCursor(encodeCursor(['a', 'b']), 2); // ['a', 'b']
 */
export function decodeCursor(cursor: string, length: number): string[] | undefined {
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (!Array.isArray(key) || key.length !== length) return undefined;
    return key.every((part) => typeof part === 'string' && part.length <= 300) ? (key as string[]) : undefined;
  } catch {
    return undefined;
  }
}
