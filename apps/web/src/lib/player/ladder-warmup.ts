import { levelFor, type QualityChoice } from './quality.ts';

/** One variant of a multivariant playlist. */
export interface Variant {
  url: string;
  bitrate: number;
}

/**
 * The variants of a multivariant playlist, lowest bitrate first (the order hls.js gives its
 * levels), with their URLs resolved against the playlist's.
 * @example
 * variants('#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=280000\nhi/index.m3u8\n#EXT-X-STREAM-INF:BANDWIDTH=70000\nlo/index.m3u8\n', base)
 * // [{ url: '…/lo/index.m3u8', bitrate: 70000 }, { url: '…/hi/index.m3u8', bitrate: 280000 }]
 */
export function variants(master: string, masterUrl: string): Variant[] {
  const found: Variant[] = [];
  let bitrate: number | null = null;
  for (const raw of master.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('#EXT-X-STREAM-INF:')) bitrate = Number(/[:,]BANDWIDTH=(\d+)/.exec(line)?.[1] ?? 0);
    else if (line && !line.startsWith('#') && bitrate !== null) {
      found.push({ url: new URL(line, masterUrl).href, bitrate });
      bitrate = null;
    }
  }
  return found.sort((a, b) => a.bitrate - b.bitrate);
}

/**
 * The variant playback starts on: the lowest for Auto (the player's `startLevel` 0; adaptive
 * bitrate goes up from there), the closest to a chosen bitrate otherwise. Null when there is none.
 */
export function startVariant(all: readonly Variant[], choice: QualityChoice): Variant | null {
  return all[Math.max(0, levelFor(choice, all))] ?? null;
}

/**
 * What a media playlist needs fetched before its first audio: its init segment (`EXT-X-MAP`) when
 * it has one, and its first media segment, resolved against the playlist's URL.
 * @example
 * firstMedia('#EXTM3U\n#EXT-X-MAP:URI="init.mp4"\n#EXTINF:6,\nseg-00000.m4s\n', 'https://x/s/lo/index.m3u8?t=a')
 * // ['https://x/s/lo/init.mp4', 'https://x/s/lo/seg-00000.m4s']
 */
export function firstMedia(playlist: string, playlistUrl: string): string[] {
  const urls: string[] = [];
  for (const raw of playlist.split('\n')) {
    const line = raw.trim();
    const map = /^#EXT-X-MAP:.*\bURI="([^"]+)"/.exec(line);
    if (map && urls.length === 0) urls.push(new URL(map[1]!, playlistUrl).href);
    else if (line && !line.startsWith('#')) {
      urls.push(new URL(line, playlistUrl).href);
      break;
    }
  }
  return urls;
}

/**
 * Fetches what the first audio of `masterUrl` needs, as the player will ask for it: the master
 * playlist, the start variant's playlist, its init segment and first media segment (the last two
 * at once). The answers land in the browser's HTTP cache (the edge lets playlists be kept 10 s and
 * segments for good), so the player's own requests a moment later are answered from it. Bodies
 * are read to the end, since an unread answer is not stored. Failures are left to the player,
 * which meets them again and reports them.
 */
export async function warmLadder(
  masterUrl: string,
  choice: QualityChoice,
  fetchText: (url: string) => Promise<string> = defaultFetchText,
): Promise<void> {
  const start = startVariant(variants(await fetchText(masterUrl), masterUrl), choice);
  if (!start) return;
  await Promise.all(firstMedia(await fetchText(start.url), start.url).map((url) => fetchText(url)));
}

async function defaultFetchText(url: string): Promise<string> {
  const answer = await fetch(url);
  if (!answer.ok) throw new Error(`GET ${new URL(url).pathname} answered ${answer.status}`);
  return answer.text();
}
