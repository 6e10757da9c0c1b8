import { parseFile } from 'music-metadata';

/** Tags as found in the file; every field may be missing. */
export interface FileTags {
  title: string | null;
  artist: string | null;
  album: string | null;
  albumArtist: string | null;
  trackNumber: number | null;
  discNumber: number | null;
  year: number | null;
  genre: string | null;
  cover: { data: Uint8Array; contentType: string } | null;
}

function text(value: string | undefined): string | null {
  const trimmed = value?.replace(/\0/g, '').trim();
  return trimmed ? trimmed : null;
}

function positive(value: number | null | undefined): number | null {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : null;
}

/**
 * music-metadata behind one small class: reads the common tags and the first embedded picture
 * (the front cover when there is one) of a local file.
 *
 * @example
 * const tags = await new TagReaderAdapter().read('/tmp/upload.mp3');
 */
export class TagReaderAdapter {
  async read(path: string): Promise<FileTags> {
    const { common } = await parseFile(path, { duration: false, skipCovers: false });
    const pictures = common.picture ?? [];
    const picture = pictures.find((p) => p.type?.toLowerCase().includes('front')) ?? pictures[0];
    const year = common.year ?? (common.date ? Number.parseInt(common.date.slice(0, 4), 10) : undefined);
    return {
      title: text(common.title),
      artist: text(common.artist) ?? text(common.artists?.join(', ')),
      album: text(common.album),
      albumArtist: text(common.albumartist),
      trackNumber: positive(common.track.no),
      discNumber: positive(common.disk.no),
      year: typeof year === 'number' && Number.isInteger(year) && year > 0 && year < 10_000 ? year : null,
      genre: text(common.genre?.[0]),
      cover:
        picture && picture.data.length > 0
          ? {
              data: picture.data,
              contentType: picture.format.includes('/') ? picture.format : `image/${picture.format}`,
            }
          : null,
    };
  }
}
