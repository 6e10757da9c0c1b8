import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ffmpeg = process.env.FFMPEG_PATH ?? 'ffmpeg';

/** The formats ingest must take, with the ffmpeg arguments that make each. */
export const audioFormats = {
  mp3: { extension: 'mp3', args: ['-c:a', 'libmp3lame', '-b:a', '96k', '-id3v2_version', '3'] },
  flac: { extension: 'flac', args: ['-c:a', 'flac'] },
  wav: { extension: 'wav', args: ['-c:a', 'pcm_s16le'] },
  vorbis: { extension: 'ogg', args: ['-c:a', 'libvorbis', '-q:a', '2'] },
  opus: { extension: 'opus', args: ['-c:a', 'libopus', '-b:a', '48k'] },
  m4a: { extension: 'm4a', args: ['-c:a', 'aac', '-b:a', '96k'] },
  aiff: { extension: 'aiff', args: ['-c:a', 'pcm_s16be', '-write_id3v2', '1'] },
} as const;

/** A format of {@link audioFormats}. */
export type AudioFormat = keyof typeof audioFormats;

/** Tags to write with `-metadata`. */
export type FixtureTags = Partial<
  Record<'title' | 'artist' | 'album' | 'album_artist' | 'track' | 'disc' | 'date' | 'genre', string>
>;

/** What to generate. */
export interface FixtureOptions {
  seconds?: number;
  sampleRate?: number;
  channels?: number;
  tags?: FixtureTags;
  /** Embed a generated JPEG as the front cover (MP3 only): 64 px, or 1000 px of noise (hundreds of KiB). */
  cover?: boolean | 'large';
}

/**
 * Makes a short sine tone in a format with ffmpeg and answers its bytes; nothing is committed.
 *
 * @example
 * const bytes = await generateAudio('flac', { tags: { title: 'Tone', artist: 'Sine' } });
 */
export async function generateAudio(format: AudioFormat, options: FixtureOptions = {}): Promise<Buffer> {
  const dir = await mkdtemp(join(tmpdir(), 'ingest-fixture-'));
  try {
    const spec = audioFormats[format];
    const out = join(dir, `out.${spec.extension}`);
    const seconds = options.seconds ?? 1;
    const input = [
      '-f',
      'lavfi',
      '-i',
      `sine=frequency=440:sample_rate=${options.sampleRate ?? 44_100}:duration=${seconds}`,
    ];
    const picture = options.cover === 'large' ? 'noise=alls=100:allf=t,format=yuvj420p' : 'format=yuvj420p';
    const size = options.cover === 'large' ? '1000x1000' : '64x64';
    const cover = options.cover ? ['-f', 'lavfi', '-i', `color=c=red:s=${size}:d=1,${picture}`] : [];
    const mapping = options.cover
      ? [
          '-map',
          '0:a',
          '-map',
          '1:v',
          '-c:v',
          'mjpeg',
          '-frames:v',
          '1',
          '-q:v',
          '2',
          '-disposition:v',
          'attached_pic',
          '-metadata:s:v',
          'comment=Cover (front)',
        ]
      : [];
    const metadata = Object.entries(options.tags ?? {}).flatMap(([k, v]) => ['-metadata', `${k}=${v}`]);
    await run(ffmpeg, [
      '-hide_banner',
      '-loglevel',
      'error',
      ...input,
      ...cover,
      ...mapping,
      '-ac',
      String(options.channels ?? 2),
      ...spec.args,
      ...metadata,
      '-y',
      out,
    ]);
    return await readFile(out);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A zip archive holding one small text file (stored, not compressed). */
export function tinyZip(): Buffer {
  const name = Buffer.from('notes.txt');
  const data = Buffer.from('these are not the bytes you are looking for\n');
  const header = Buffer.alloc(30);
  header.writeUInt32LE(0x04034b50, 0);
  header.writeUInt16LE(20, 4);
  header.writeUInt32LE(data.length, 18);
  header.writeUInt32LE(data.length, 22);
  header.writeUInt16LE(name.length, 26);
  return Buffer.concat([header, name, data]);
}
