import type { EventData } from '@tonearm/contracts';
import type { FileTags } from '../adapters/tag-reader.adapter.ts';

/** What a file name tells: the title always, the artist and track number when it holds them. */
export interface FilenameTags {
  title: string;
  artist: string | null;
  trackNumber: number | null;
}

/** The artist of a track whose tags and file name name none. */
export const UNKNOWN_ARTIST = 'Unknown artist';

const SEPARATOR = /\s+[-–—]\s+/;
const LEADING_NUMBER = /^(?:(\d{1,2})-(\d{1,3})\s+(?:[-–—.]\s*)?|(\d{1,3})(?:\s*[-–—.)]\s*|\s+|_+))/;

function clean(part: string): string {
  return part.replace(/\s+/g, ' ').trim();
}

/**
 * Reads `01 - Artist - Title.ext` and its usual variants (`Artist - Title`, `01 - Title`,
 * `01. Title`, `01 Title`, `1-03 Artist - Title`, underscores for spaces). A name that matches
 * none is the title as it is, without its extension.
 *
 * @example
 * tagsFromFilename('01 - Nina Simone - Sinnerman.flac');
 * // { title: 'Sinnerman', artist: 'Nina Simone', trackNumber: 1 }
 */
export function tagsFromFilename(filename: string): FilenameTags {
  const base = filename.split(/[\\/]/).at(-1) ?? filename;
  const withoutExtension = base.replace(/\.[A-Za-z0-9]{1,5}$/, '');
  let rest = clean(withoutExtension.includes(' ') ? withoutExtension : withoutExtension.replace(/_/g, ' '));
  let trackNumber: number | null = null;
  const numbered = LEADING_NUMBER.exec(rest);
  if (numbered && rest.length > numbered[0].length) {
    const n = Number(numbered[2] ?? numbered[3]);
    if (n > 0) trackNumber = n;
    rest = clean(rest.slice(numbered[0].length));
  }
  const parts = rest.split(SEPARATOR).map(clean).filter(Boolean);
  if (parts.length >= 2) {
    return { artist: parts[0]!, title: parts.slice(1).join(' - '), trackNumber };
  }
  const title = parts[0] ?? clean(withoutExtension);
  return { title: title || 'Untitled', artist: null, trackNumber };
}

/**
 * The tags of the completed event: those read from the file win; the file name fills in the
 * title, the artist and the track number when the file has none.
 *
 * @example
 * mergeTags(fileTags, '02 - Artist - Title.mp3');
 */
export function mergeTags(
  file: Omit<FileTags, 'cover'>,
  filename: string,
): EventData<'ingest.upload.completed.v1'>['tags'] {
  const fallback = tagsFromFilename(filename);
  return {
    title: file.title ?? fallback.title,
    artist: file.artist ?? file.albumArtist ?? fallback.artist ?? UNKNOWN_ARTIST,
    album: file.album,
    albumArtist: file.albumArtist,
    trackNumber: file.trackNumber ?? fallback.trackNumber,
    discNumber: file.discNumber,
    year: file.year,
    genre: file.genre,
  };
}
