import { describe, expect, it } from 'vitest';
import { firstMedia, startVariant, variants, warmLadder } from './ladder-warmup.ts';

const masterUrl = 'https://edge.test/stream/tr1/master.m3u8?t=abc';
// The transcoder's order: highest first.
const master = [
  '#EXTM3U',
  '#EXT-X-VERSION:7',
  '#EXT-X-INDEPENDENT-SEGMENTS',
  '#EXT-X-STREAM-INF:BANDWIDTH=282000,AVERAGE-BANDWIDTH=264000,CODECS="mp4a.40.2"',
  'aac-256k/index.m3u8?t=abc',
  '#EXT-X-STREAM-INF:BANDWIDTH=70000,AVERAGE-BANDWIDTH=66000,CODECS="mp4a.40.2"',
  'aac-64k/index.m3u8?t=abc',
  '#EXT-X-STREAM-INF:BANDWIDTH=141000,AVERAGE-BANDWIDTH=132000,CODECS="mp4a.40.2"',
  'aac-128k/index.m3u8?t=abc',
  '',
].join('\n');
const low = 'https://edge.test/stream/tr1/aac-64k/index.m3u8?t=abc';
const media = [
  '#EXTM3U',
  '#EXT-X-TARGETDURATION:6',
  '#EXT-X-MAP:URI="init.mp4?t=abc"',
  '#EXTINF:6.0,',
  'seg-00000.m4s?t=abc',
  '#EXTINF:6.0,',
  'seg-00001.m4s?t=abc',
  '#EXT-X-ENDLIST',
].join('\n');

describe('variants', () => {
  it('lists the variants lowest first with resolved URLs (AVERAGE-BANDWIDTH is not BANDWIDTH)', () => {
    expect(variants(master, masterUrl)).toEqual([
      { url: low, bitrate: 70_000 },
      { url: 'https://edge.test/stream/tr1/aac-128k/index.m3u8?t=abc', bitrate: 141_000 },
      { url: 'https://edge.test/stream/tr1/aac-256k/index.m3u8?t=abc', bitrate: 282_000 },
    ]);
  });

  it('finds none in a media playlist', () => {
    expect(variants(media, low)).toEqual([]);
  });
});

describe('startVariant', () => {
  const all = variants(master, masterUrl);

  it('starts Auto on the lowest rendition', () => {
    expect(startVariant(all, 'auto')?.bitrate).toBe(70_000);
  });

  it('starts a chosen quality on the closest rendition', () => {
    expect(startVariant(all, 128_000)?.bitrate).toBe(141_000);
    expect(startVariant(all, 320_000)?.bitrate).toBe(282_000);
  });

  it('is null without variants', () => {
    expect(startVariant([], 'auto')).toBeNull();
  });
});

describe('firstMedia', () => {
  it('is the init segment then the first media segment', () => {
    expect(firstMedia(media, low)).toEqual([
      'https://edge.test/stream/tr1/aac-64k/init.mp4?t=abc',
      'https://edge.test/stream/tr1/aac-64k/seg-00000.m4s?t=abc',
    ]);
  });

  it('is the first segment alone without EXT-X-MAP', () => {
    expect(firstMedia('#EXTM3U\n#EXTINF:6,\na.ts\n#EXTINF:6,\nb.ts\n', low)).toEqual([
      'https://edge.test/stream/tr1/aac-64k/a.ts',
    ]);
  });
});

describe('warmLadder', () => {
  it('fetches the master, the start variant, then its init and first segment', async () => {
    const fetched: string[] = [];
    await warmLadder(masterUrl, 'auto', async (url) => {
      fetched.push(url);
      if (url === masterUrl) return master;
      if (url === low) return media;
      return '';
    });
    expect(fetched).toEqual([
      masterUrl,
      low,
      'https://edge.test/stream/tr1/aac-64k/init.mp4?t=abc',
      'https://edge.test/stream/tr1/aac-64k/seg-00000.m4s?t=abc',
    ]);
  });

  it('stops at a master without variants', async () => {
    const fetched: string[] = [];
    await warmLadder(masterUrl, 'auto', async (url) => {
      fetched.push(url);
      return '#EXTM3U\n';
    });
    expect(fetched).toEqual([masterUrl]);
  });
});
