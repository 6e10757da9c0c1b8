import type { FfprobeData } from 'fluent-ffmpeg';
import { describe, expect, it } from 'vitest';
import { summarizeProbe } from './ffprobe.adapter.ts';

function data(streams: Partial<FfprobeData['streams'][number]>[], format: Partial<FfprobeData['format']>) {
  return { streams, format, chapters: [] } as unknown as FfprobeData;
}

describe('summarizeProbe', () => {
  it('takes the first audio stream, past cover art, with numbers from ffprobe strings', () => {
    const sut = summarizeProbe(
      data(
        [
          { index: 0, codec_type: 'video', codec_name: 'mjpeg' },
          {
            index: 1,
            codec_type: 'audio',
            codec_name: 'mp3',
            sample_rate: 44_100,
            channels: 2,
            duration: '12.5' as never,
          },
        ],
        { format_name: 'mp3', duration: 12.5 },
      ),
    );
    expect(sut).toEqual({
      formatName: 'mp3',
      durationSeconds: 12.5,
      audio: { index: 1, codec: 'mp3', sampleRate: 44_100, channels: 2, durationSeconds: 12.5 },
    });
  });

  it('reports no audio when there is none, and no duration when ffprobe gives N/A', () => {
    expect(
      summarizeProbe(data([{ index: 0, codec_type: 'video' }], { format_name: 'tty', duration: 'N/A' as never })),
    ).toEqual({ formatName: 'tty', durationSeconds: undefined, audio: undefined });
  });
});
