import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileTypeFromFile } from 'file-type';
import { parseFile } from 'music-metadata';

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

/** The tags the platform will read from a file, as read locally for the report. */
export interface LocalTags {
  artist: string | undefined;
  album: string | undefined;
  title: string | undefined;
  trackNumber: number | undefined;
}

/** Reads a file's tags (music-metadata, covers skipped); unreadable tags are all undefined. */
export async function readLocalTags(path: string): Promise<LocalTags> {
  try {
    const { common } = await parseFile(path, { skipCovers: true, duration: false });
    return {
      artist: common.artist ?? common.albumartist,
      album: common.album,
      title: common.title,
      trackNumber: common.track.no ?? undefined,
    };
  } catch {
    return { artist: undefined, album: undefined, title: undefined, trackNumber: undefined };
  }
}

/**
 * Tags for people: `Artist — Album #2 Title`, with what is missing left out.
 *
 * @example
 * describeTags({ artist: 'A', album: 'B', title: 'C', trackNumber: 2 }) // 'A — B #2 C'
 */
export function describeTags(tags: LocalTags): string {
  const where = [tags.artist, tags.album].filter(Boolean).join(' — ');
  const what = [tags.trackNumber === undefined ? undefined : `#${tags.trackNumber}`, tags.title]
    .filter(Boolean)
    .join(' ');
  return [where, what].filter(Boolean).join(' ') || 'no tags';
}
