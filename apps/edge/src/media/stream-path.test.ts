import { describe, expect, it } from 'vitest';
import { isTrackId, mediaTypeOf, streamFilePath, withToken } from './stream-path.ts';

describe('streamFilePath', () => {
  it('accepts the master, variant playlists, init and media segments', () => {
    expect(streamFilePath(['master.m3u8'])).toBe('master.m3u8');
    expect(streamFilePath(['aac-64k', 'index.m3u8'])).toBe('aac-64k/index.m3u8');
    expect(streamFilePath(['aac-64k', 'init_0.mp4'])).toBe('aac-64k/init_0.mp4');
    expect(streamFilePath(['aac-64k', 'seg-00001.m4s'])).toBe('aac-64k/seg-00001.m4s');
  });

  it('refuses dot segments, encoded characters, empty segments, deep paths and other files', () => {
    const refused = [
      ['..', 'master.m3u8'],
      ['.', 'master.m3u8'],
      ['..'],
      ['%2e%2e', 'x.m4s'],
      ['aac-64k%2F..%2Fother', 'x.m4s'],
      ['', 'x.m4s'],
      ['a', 'b', 'c.m4s'],
      ['waveform.json'],
      ['.hidden.m4s'],
      ['http:', 'x.m4s'],
      [],
    ];
    for (const segments of refused) expect(streamFilePath(segments)).toBeUndefined();
  });
});

describe('isTrackId', () => {
  it('accepts lower-case UUIDs only', () => {
    expect(isTrackId('6f1c2a7e-3b4d-4e5f-8a9b-0c1d2e3f4a5b')).toBe(true);
    expect(isTrackId('..')).toBe(false);
    expect(isTrackId('6F1C2A7E-3B4D-4E5F-8A9B-0C1D2E3F4A5B')).toBe(false);
  });
});

describe('mediaTypeOf', () => {
  it('names playlists and fMP4 segments', () => {
    expect(mediaTypeOf('master.m3u8')).toBe('application/vnd.apple.mpegurl');
    expect(mediaTypeOf('a/seg-1.m4s')).toBe('audio/mp4');
    expect(mediaTypeOf('a/init_0.mp4')).toBe('audio/mp4');
  });
});

describe('withToken', () => {
  it('adds the token to variant URIs, segment URIs and URI attributes, leaving other tags alone', () => {
    const playlist = '#EXTM3U\n#EXT-X-MAP:URI="init_0.mp4"\n#EXTINF:6.0,\nseg-0.m4s\n#EXT-X-ENDLIST\n';
    expect(withToken(playlist, 'a.b+c')).toBe(
      '#EXTM3U\n#EXT-X-MAP:URI="init_0.mp4?t=a.b%2Bc"\n#EXTINF:6.0,\nseg-0.m4s?t=a.b%2Bc\n#EXT-X-ENDLIST\n',
    );
  });
});
