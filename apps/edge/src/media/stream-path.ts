const fileName = /^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,127}$/;
const trackId = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Whether a track id is a lower-case UUID, as every track id is. */
export function isTrackId(value: string): boolean {
  return trackId.test(value);
}

/**
 * The path of a media file under a track's HLS prefix, from the segments of a stream URL after
 * the track id, or undefined when it could reach anything else: at most two segments, each made
 * of `[A-Za-z0-9_.-]` only, not starting with a dot (so no `.` or `..`), no encoded characters,
 * ending in a media file extension.
 *
 * @example
 * streamFilePath(['aac-64k', 'seg-00001.m4s']); // 'aac-64k/seg-00001.m4s'
 * streamFilePath(['..', 'x.m4s']); // undefined
 */
export function streamFilePath(segments: readonly string[]): string | undefined {
  if (segments.length < 1 || segments.length > 2) return undefined;
  if (!segments.every((segment) => fileName.test(segment))) return undefined;
  const path = segments.join('/');
  return mediaTypeOf(path) ? path : undefined;
}

/** The content type of a media file name, by its extension; undefined for anything else. */
export function mediaTypeOf(path: string): string | undefined {
  if (path.endsWith('.m3u8')) return 'application/vnd.apple.mpegurl';
  if (path.endsWith('.m4s') || path.endsWith('.mp4')) return 'audio/mp4';
  return undefined;
}

/**
 * A playlist with `?t=<token>` added to every URI (segment, variant and `URI="…"` attributes),
 * so a player that only has the master URL carries the token to everything it fetches.
 *
 * @example
 * withToken('#EXT-X-MAP:URI="init_0.mp4"\nseg-0.m4s\n', 'abc');
 * // '#EXT-X-MAP:URI="init_0.mp4?t=abc"\nseg-0.m4s?t=abc\n'
 */
export function withToken(playlist: string, token: string): string {
  const add = (uri: string) => `${uri}${uri.includes('?') ? '&' : '?'}t=${encodeURIComponent(token)}`;
  return playlist
    .split('\n')
    .map((line) => {
      const trimmed = line.trim();
      if (trimmed === '') return line;
      if (trimmed.startsWith('#')) return line.replace(/URI="([^"]*)"/g, (_, uri: string) => `URI="${add(uri)}"`);
      return add(trimmed);
    })
    .join('\n');
}
