import { describe, expect, it } from 'vitest';
import { finishVariantPlaylist, masterPlaylist, measureBandwidth, parseMediaPlaylist } from './hls-playlist.ts';

const ffmpegVariant = `#EXTM3U
#EXT-X-VERSION:7
#EXT-X-TARGETDURATION:6
#EXT-X-MEDIA-SEQUENCE:0
#EXT-X-PLAYLIST-TYPE:VOD
#EXT-X-MAP:URI="init_0.mp4"
#EXTINF:6.013968,
seg-00000.m4s
#EXTINF:2.004535,
seg-00001.m4s
#EXT-X-ENDLIST
`;

describe('parseMediaPlaylist', () => {
  it('reads the init segment and every segment with its duration', () => {
    expect(parseMediaPlaylist(ffmpegVariant)).toEqual({
      initUri: 'init_0.mp4',
      segments: [
        { uri: 'seg-00000.m4s', durationSeconds: 6.013968 },
        { uri: 'seg-00001.m4s', durationSeconds: 2.004535 },
      ],
    });
  });

  it('refuses a segment without a duration', () => {
    expect(() => parseMediaPlaylist('#EXTM3U\nseg.m4s\n')).toThrow(/no EXTINF/);
  });

  it('refuses a duration that is not a number', () => {
    expect(() => parseMediaPlaylist('#EXTM3U\n#EXTINF:abc,\nseg.m4s\n')).toThrow(/bad EXTINF/);
  });
});

describe('measureBandwidth', () => {
  it('gives the peak segment bit rate (init counted with the first) and the average over the track', () => {
    const sut = measureBandwidth(
      [
        { bytes: 48_000, durationSeconds: 6 },
        { bytes: 60_000, durationSeconds: 6 },
        { bytes: 10_000, durationSeconds: 2 },
      ],
      600,
    );
    expect(sut.bandwidth).toBe(80_000);
    expect(sut.averageBandwidth).toBe(Math.ceil((118_600 * 8) / 14));
  });

  it('refuses a rendition without segments', () => {
    expect(() => measureBandwidth([])).toThrow(/at least one segment/);
  });
});

describe('masterPlaylist', () => {
  it('lists each variant with BANDWIDTH, AVERAGE-BANDWIDTH and CODECS under VOD-ready headers', () => {
    const sut = masterPlaylist([
      { uri: 'aac-64k/index.m3u8', bandwidth: 70_001, averageBandwidth: 66_000, codecs: 'mp4a.40.2' },
      { uri: 'aac-128k/index.m3u8', bandwidth: 135_000, averageBandwidth: 130_000, codecs: 'mp4a.40.2' },
    ]);
    expect(sut).toBe(
      [
        '#EXTM3U',
        '#EXT-X-VERSION:7',
        '#EXT-X-INDEPENDENT-SEGMENTS',
        '#EXT-X-STREAM-INF:BANDWIDTH=70001,AVERAGE-BANDWIDTH=66000,CODECS="mp4a.40.2"',
        'aac-64k/index.m3u8',
        '#EXT-X-STREAM-INF:BANDWIDTH=135000,AVERAGE-BANDWIDTH=130000,CODECS="mp4a.40.2"',
        'aac-128k/index.m3u8',
        '',
      ].join('\n'),
    );
  });

  it('refuses an empty ladder', () => {
    expect(() => masterPlaylist([])).toThrow(/at least one variant/);
  });
});

describe('finishVariantPlaylist', () => {
  it('adds EXT-X-INDEPENDENT-SEGMENTS after the version and keeps everything else', () => {
    const sut = finishVariantPlaylist(ffmpegVariant);
    expect(sut.split('\n').slice(0, 3)).toEqual(['#EXTM3U', '#EXT-X-VERSION:7', '#EXT-X-INDEPENDENT-SEGMENTS']);
    expect(sut.replace('#EXT-X-INDEPENDENT-SEGMENTS\n', '')).toBe(ffmpegVariant);
    expect(finishVariantPlaylist(sut)).toBe(sut);
  });

  it('refuses a playlist that is not VOD', () => {
    expect(() => finishVariantPlaylist('#EXTM3U\n#EXTINF:6,\nseg.m4s\n')).toThrow(/not VOD/);
  });
});
