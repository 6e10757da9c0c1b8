import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileTypeFromFile } from 'file-type';

/** A file found under the folders, with what its first bytes say it is. */
export interface ScannedFile {
  path: string;
  size: number;
  mtimeMs: number;
  mime: string | undefined;
}

/** Every regular file under `roots` (recursively, symlinks not followed), sorted by path. */
export async function walkFiles(roots: readonly string[]): Promise<{ path: string; size: number; mtimeMs: number }[]> {
  const found = new Map<string, { path: string; size: number; mtimeMs: number }>();
  const visit = async (path: string): Promise<void> => {
    const info = await stat(path);
    if (info.isDirectory()) {
      const entries = await readdir(path, { withFileTypes: true });
      for (const entry of entries) {
        if (entry.isDirectory() || entry.isFile()) await visit(join(path, entry.name));
      }
    } else if (info.isFile()) {
      found.set(path, { path, size: info.size, mtimeMs: info.mtimeMs });
    }
  };
  for (const root of roots) await visit(resolve(root));
  return [...found.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * Whether a detected MIME type is audio the platform takes. By content: a `.mp3` holding text is
 * not audio, a `.bin` holding FLAC is.
 *
 * @example
 * isSupportedAudio('audio/x-flac') // true
 */
export function isSupportedAudio(mime: string | undefined): boolean {
  return mime !== undefined && (mime.startsWith('audio/') || mime === 'video/ogg' || mime === 'application/ogg');
}

/** Detects the type of a file by its magic bytes (file-type). */
export async function detectMime(path: string): Promise<string | undefined> {
  return (await fileTypeFromFile(path))?.mime;
}

/** The SHA-256 of a file, streamed, in lower-case hex. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), hash);
  return hash.digest('hex');
}
