import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from './file-hash.ts';

describe('sha256Hex', () => {
  it('hashes a file read in slices as one digest of the whole, reporting the bytes read', async () => {
    const bytes = new Uint8Array(20 * 1024 * 1024 + 17).map((_, index) => index % 251);
    const read: number[] = [];

    const digest = await sha256Hex(new Blob([bytes]), (count) => read.push(count));

    expect(digest).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(read).toEqual([8 * 1024 * 1024, 16 * 1024 * 1024, bytes.length]);
  });

  it('hashes an empty file', async () => {
    expect(await sha256Hex(new Blob([]))).toBe(createHash('sha256').digest('hex'));
  });

  it('stops when aborted', async () => {
    const controller = new AbortController();
    controller.abort();

    await expect(sha256Hex(new Blob([new Uint8Array(10)]), undefined, controller.signal)).rejects.toThrow();
  });
});
