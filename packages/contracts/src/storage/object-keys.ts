/**
 * Where each object of a track lives in the bucket. Every service that reads or writes media
 * builds keys here, and a track's objects can be found, or removed, by its prefixes.
 */
export const objectKeys = {
  /** The uploaded file, as the client sent it. */
  source: (trackId: string) => `sources/${trackId}`,
  /** Cover art found in the file's tags. */
  cover: (trackId: string) => `covers/${trackId}`,
  /** Everything the transcoder writes for a track. */
  hlsPrefix: (trackId: string) => `hls/${trackId}/`,
  /** The multivariant playlist. */
  master: (trackId: string) => `hls/${trackId}/master.m3u8`,
  /** Waveform peaks for the seek bar, as JSON. */
  waveform: (trackId: string) => `hls/${trackId}/waveform.json`,
  /** Every prefix that holds objects of a track, for deletion. */
  allPrefixes: (trackId: string) => [`sources/${trackId}`, `covers/${trackId}`, `hls/${trackId}/`],
} as const;
