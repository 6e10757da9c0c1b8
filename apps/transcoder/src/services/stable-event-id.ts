import { createHash } from 'node:crypto';

/** The namespace of the transcoder's name-based ids (a random UUID fixed once). */
const TRANSCODER_NAMESPACE = Buffer.from('8f3b6a52c1e94d0e9a7f2b5c6d1e0f43', 'hex');

/**
 * A name-based (version 5) UUID of the parts: the same parts always give the same id, so an
 * event published again after a crash is dropped by JetStream's duplicate window.
 *
 * @example
 * stableEventId('transcode.completed.v1', trackId, sha256); // same id on every run for this source
 */
export function stableEventId(...parts: string[]): string {
  const hash = createHash('sha1').update(TRANSCODER_NAMESPACE).update(parts.join('\u0000')).digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
