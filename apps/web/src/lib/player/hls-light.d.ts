/**
 * hls.js's light build (no subtitles, alternate audio, DRM, CMCD or interstitials, none of which
 * an audio ladder uses): about 120 KB gzipped instead of 185, so less to fetch and compile before
 * the first audio where the browser has no native HLS. Its package exports no types for it; they
 * are the full build's.
 */
declare module 'hls.js/light' {
  import Hls from 'hls.js';

  export default Hls;
  export * from 'hls.js';
}
