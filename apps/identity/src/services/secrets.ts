import { createHash, randomBytes } from 'node:crypto';

/**
 * A new random secret: 32 bytes (256 bits) as base64url, with an optional prefix.
 *
 * @example
 * newSecret('tnat_'); // 'tnat_Xq3...'
 */
export function newSecret(prefix = ''): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

/** The sha256 of a secret as hex: what is stored instead of it. */
export function sha256Hex(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}
