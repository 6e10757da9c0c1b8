import { execFile } from 'node:child_process';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { defaultSettings } from '@tonearm/contracts';

const run = promisify(execFile);

/**
 * The baseline of the transcoding alone: one bare ffmpeg command decoding `source` and making the
 * platform's HLS ladder (from the central settings) as fMP4 segments in `outDir`.
 */
export async function bareLadder(source: string, outDir: string): Promise<void> {
  const ladder = defaultSettings()['transcode.ladder'];
  const segmentSeconds = defaultSettings()['transcode.segmentSeconds'];
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  await run('ffmpeg', [
    ...['-v', 'error', '-nostdin', '-y', '-i', source],
    ...['-filter_complex', `[0:a:0]asplit=${ladder.length}${ladder.map((_, i) => `[r${i}]`).join('')}`],
    ...ladder.flatMap((_, i) => ['-map', `[r${i}]`]),
    ...['-c:a', 'aac', ...ladder.flatMap((rung, i) => [`-b:a:${i}`, String(rung.bitrate)])],
    ...['-f', 'hls', '-hls_time', String(segmentSeconds), '-hls_playlist_type', 'vod', '-hls_segment_type', 'fmp4'],
    ...['-hls_fmp4_init_filename', 'init.mp4', '-hls_segment_filename', join(outDir, '%v', 'seg-%05d.m4s')],
    ...['-var_stream_map', ladder.map((rung, i) => `a:${i},name:${rung.name}`).join(' ')],
    join(outDir, '%v', 'index.m3u8'),
  ]);
}
