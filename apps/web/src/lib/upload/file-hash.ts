import { createSHA256 } from 'hash-wasm';

const chunkBytes = 8 * 1024 * 1024;

/**
 * The SHA-256 of a file as lower-case hex, read in 8 MiB slices so a 4 GiB file never sits in
 * memory whole (crypto.subtle can only digest one buffer). `onProgress` gets the bytes read.
 *
 * @example
 * const sha256 = await sha256Hex(file, (read) => (hashed = read));
 */
export async function sha256Hex(
  file: Pick<Blob, 'size' | 'slice'>,
  onProgress: (read: number) => void = () => undefined,
  signal?: AbortSignal,
): Promise<string> {
  const hasher = await createSHA256();
  hasher.init();
  for (let start = 0; start < file.size; start += chunkBytes) {
    signal?.throwIfAborted();
    const end = Math.min(file.size, start + chunkBytes);
    hasher.update(new Uint8Array(await file.slice(start, end).arrayBuffer()));
    onProgress(end);
  }
  return hasher.digest('hex');
}
