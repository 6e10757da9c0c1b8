import { describe, expect, it } from 'vitest';
import { LadderPassError, ladderFilterGraph, statsLineSeconds, timemarkSeconds } from './ffmpeg.adapter.ts';

describe('timemarkSeconds', () => {
  it('reads the time of an ffmpeg stats line', () => {
    expect(timemarkSeconds('00:01:23.45')).toBeCloseTo(83.45, 5);
    expect(timemarkSeconds('02:00:00.00')).toBe(7200);
  });

  it('answers undefined for what is not a time', () => {
    expect(timemarkSeconds('N/A')).toBeUndefined();
  });
});

describe('statsLineSeconds', () => {
  it('reads the time of an ffmpeg stats line', () => {
    const line = 'size=N/A time=00:00:12.34 bitrate=N/A speed=24.7x';
    expect(statsLineSeconds(line)).toBeCloseTo(12.34, 5);
  });

  it('answers undefined for other lines and for a time ffmpeg does not know yet', () => {
    expect(statsLineSeconds('[Parsed_ebur128_2 @ 0x55] Summary:')).toBeUndefined();
    expect(statsLineSeconds('size=N/A time=N/A bitrate=N/A speed=N/A')).toBeUndefined();
  });
});

describe('ladderFilterGraph', () => {
  it('resamples, mixes down, measures loudness once and splits into encoders and PCM', () => {
    expect(ladderFilterGraph({ streamIndex: 1, sampleRate: 48_000, channels: 2, encodedRungs: 2 })).toBe(
      '[0:1]aresample=48000,aformat=sample_fmts=fltp:sample_rates=48000:channel_layouts=stereo,' +
        'ebur128=peak=true:framelog=verbose,asplit=3[r0][r1][pcm]',
    );
  });

  it('keeps a mono source mono', () => {
    expect(ladderFilterGraph({ streamIndex: 0, sampleRate: 44_100, channels: 1, encodedRungs: 1 })).toContain(
      'channel_layouts=mono',
    );
  });
});

describe('LadderPassError', () => {
  it('blames the source when ffmpeg could not decode it, and not otherwise', () => {
    expect(new LadderPassError('exit 1', 'Error while decoding stream #0:0: Invalid data found').inputProblem).toBe(
      true,
    );
    expect(new LadderPassError('exit 1', 'No space left on device').inputProblem).toBe(false);
  });
});
