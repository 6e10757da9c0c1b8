import { describe, expect, it } from 'vitest';
import { sniffAudio } from './content-sniffer.ts';

const bytes = (...parts: (string | number[])[]) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));

describe('sniffAudio', () => {
  it('calls an empty file empty', async () => {
    expect(await sniffAudio(new Uint8Array())).toEqual({ ok: false, reason: 'the file is empty' });
  });

  it('refuses text as not a known audio format', async () => {
    expect(await sniffAudio(bytes('just some words in a file named song.mp3\n'))).toEqual({
      ok: false,
      reason: 'not an audio file: its content is not a known audio format',
    });
  });

  it('names a zip archive and a PNG image', async () => {
    const zip = bytes([0x50, 0x4b, 0x03, 0x04, 20, 0, 0, 0, 0, 0], new Array(20).fill(0), 'a.txt');
    expect(await sniffAudio(zip)).toMatchObject({ ok: false, reason: 'not an audio file: it is a zip archive' });
    const png = bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13], 'IHDR', new Array(17).fill(0));
    expect(await sniffAudio(png)).toMatchObject({ ok: false, reason: 'not an audio file: it is a PNG image' });
  });

  it('refuses an ID3 tag with no audio after it', async () => {
    expect(await sniffAudio(bytes('ID3', [3, 0, 0, 0, 0, 0, 0], 'hello, world'))).toMatchObject({ ok: false });
  });

  it('recognises FLAC, WAV and ID3-tagged MP3 by their magic bytes', async () => {
    expect(await sniffAudio(bytes('fLaC', new Array(40).fill(0)))).toMatchObject({ ok: true, mime: 'audio/flac' });
    expect(await sniffAudio(bytes('RIFF', [0, 0, 0, 0], 'WAVEfmt ', new Array(24).fill(0)))).toMatchObject({
      ok: true,
      mime: 'audio/wav',
    });
    expect(
      await sniffAudio(bytes('ID3', [3, 0, 0, 0, 0, 0, 0], [0xff, 0xfb, 0x90, 0x64], new Array(40).fill(0))),
    ).toMatchObject({
      ok: true,
      mime: 'audio/mpeg',
    });
  });
});
