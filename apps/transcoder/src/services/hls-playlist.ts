/** One media segment as listed in a variant playlist. */
export interface PlaylistSegment {
  uri: string;
  durationSeconds: number;
}

/** What a variant playlist says about its media. */
export interface MediaPlaylist {
  initUri: string | undefined;
  segments: PlaylistSegment[];
}

/** A variant of the master playlist, with bit rates measured from its segments. */
export interface MasterVariant {
  uri: string;
  /** Peak segment bit rate, bits per second. */
  bandwidth: number;
  /** Average bit rate over the whole track, bits per second. */
  averageBandwidth: number;
  codecs: string;
}

/** Bit rates of a rendition as HLS defines them. */
export interface MeasuredBandwidth {
  bandwidth: number;
  averageBandwidth: number;
}

/** The RFC 6381 codec string of AAC-LC. */
export const AAC_LC_CODECS = 'mp4a.40.2';

/**
 * Reads the init segment and the media segments (with their `EXTINF` durations) of a variant playlist.
 *
 * @example
 * parseMediaPlaylist('#EXTM3U\n#EXT-X-MAP:URI="init.mp4"\n#EXTINF:6.0,\nseg-0.m4s\n#EXT-X-ENDLIST\n');
 * // { initUri: 'init.mp4', segments: [{ uri: 'seg-0.m4s', durationSeconds: 6 }] }
 */
export function parseMediaPlaylist(text: string): MediaPlaylist {
  let initUri: string | undefined;
  const segments: PlaylistSegment[] = [];
  let pendingDuration: number | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '') continue;
    if (line.startsWith('#EXT-X-MAP:')) {
      initUri = /URI="([^"]+)"/.exec(line)?.[1];
    } else if (line.startsWith('#EXTINF:')) {
      pendingDuration = Number.parseFloat(line.slice('#EXTINF:'.length));
      if (!Number.isFinite(pendingDuration)) throw new Error(`bad EXTINF line: ${line}`);
    } else if (!line.startsWith('#')) {
      if (pendingDuration === undefined) throw new Error(`segment ${line} has no EXTINF`);
      segments.push({ uri: line, durationSeconds: pendingDuration });
      pendingDuration = undefined;
    }
  }
  return { initUri, segments };
}

/**
 * Measures a rendition the way HLS defines its attributes: `BANDWIDTH` is the highest bit rate
 * of any segment (with the init segment, which a player fetches before the first), and
 * `AVERAGE-BANDWIDTH` the total size over the total duration.
 *
 * @example
 * measureBandwidth([{ bytes: 48_000, durationSeconds: 6 }, { bytes: 16_000, durationSeconds: 2 }], 800);
 * // { bandwidth: 65_067, averageBandwidth: 64_800 }
 */
export function measureBandwidth(
  segments: readonly { bytes: number; durationSeconds: number }[],
  initBytes = 0,
): MeasuredBandwidth {
  if (segments.length === 0) throw new Error('a rendition needs at least one segment');
  let totalBytes = initBytes;
  let totalSeconds = 0;
  let peak = 0;
  for (const [index, segment] of segments.entries()) {
    totalBytes += segment.bytes;
    totalSeconds += segment.durationSeconds;
    const bytes = segment.bytes + (index === 0 ? initBytes : 0);
    peak = Math.max(peak, (bytes * 8) / Math.max(segment.durationSeconds, 0.001));
  }
  const average = (totalBytes * 8) / Math.max(totalSeconds, 0.001);
  return { bandwidth: Math.ceil(peak), averageBandwidth: Math.ceil(average) };
}

/**
 * Writes the multivariant (master) playlist of a VOD audio ladder, variants in the order given.
 *
 * @example
 * masterPlaylist([{ uri: 'aac-64k/index.m3u8', bandwidth: 70_000, averageBandwidth: 66_000, codecs: 'mp4a.40.2' }]);
 */
export function masterPlaylist(variants: readonly MasterVariant[]): string {
  if (variants.length === 0) throw new Error('a master playlist needs at least one variant');
  const lines = ['#EXTM3U', '#EXT-X-VERSION:7', '#EXT-X-INDEPENDENT-SEGMENTS'];
  for (const variant of variants) {
    lines.push(
      `#EXT-X-STREAM-INF:BANDWIDTH=${variant.bandwidth},AVERAGE-BANDWIDTH=${variant.averageBandwidth},CODECS="${variant.codecs}"`,
      variant.uri,
    );
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Makes a variant playlist written by ffmpeg say what the ladder guarantees: every segment
 * starts with a sync sample (`EXT-X-INDEPENDENT-SEGMENTS`) and the playlist is VOD.
 */
export function finishVariantPlaylist(text: string): string {
  const lines = text.split(/\r?\n/).filter((line, index, all) => line !== '' || index < all.length - 1);
  if (!lines.includes('#EXT-X-PLAYLIST-TYPE:VOD')) throw new Error('variant playlist is not VOD');
  if (!lines.includes('#EXT-X-INDEPENDENT-SEGMENTS')) {
    const at = lines.findIndex((line) => line.startsWith('#EXT-X-VERSION:'));
    lines.splice(at === -1 ? 1 : at + 1, 0, '#EXT-X-INDEPENDENT-SEGMENTS');
  }
  return `${lines.join('\n')}\n`;
}
