import { describe, expect, it } from 'vitest';
import { parseEbur128Summary, SILENT_PEAK_DB, withGain } from './loudness.ts';

const ffmpegSummary = `size=N/A time=00:00:20.01 bitrate=N/A speed=17.1x
[Parsed_ebur128_2 @ 0x563df772fdc0] Summary:

  Integrated loudness:
    I:         -21.8 LUFS
    Threshold: -31.8 LUFS

  Loudness range:
    LRA:         0.0 LU
    Threshold: -41.8 LUFS
    LRA low:   -21.8 LUFS
    LRA high:  -21.8 LUFS

  True peak:
    Peak:      -21.1 dBFS
[aac @ 0x563df76ec640] Qavg: 489.917
`;

describe('parseEbur128Summary', () => {
  it('reads integrated loudness and true peak from the filter summary', () => {
    expect(parseEbur128Summary(ffmpegSummary)).toEqual({ integratedLufs: -21.8, truePeakDb: -21.1 });
  });

  it('reads a silent track, whose peak is -inf, as the silence floor', () => {
    const silent = ffmpegSummary.replace('-21.8 LUFS', '-70.0 LUFS').replace('-21.1 dBFS', '-inf dBFS');
    expect(parseEbur128Summary(silent)).toEqual({ integratedLufs: -70, truePeakDb: SILENT_PEAK_DB });
  });

  it('reads a positive true peak of a clipping master', () => {
    expect(parseEbur128Summary(ffmpegSummary.replace('-21.1 dBFS', '0.6 dBFS'))?.truePeakDb).toBe(0.6);
  });

  it('answers undefined when the summary is missing or cut short', () => {
    expect(parseEbur128Summary('size=N/A time=00:00:20.01')).toBeUndefined();
    expect(parseEbur128Summary(ffmpegSummary.slice(0, ffmpegSummary.indexOf('True peak')))).toBeUndefined();
  });
});

describe('withGain', () => {
  it('brings a quiet track with headroom to -14 LUFS', () => {
    expect(withGain({ integratedLufs: -21.8, truePeakDb: -21.1 }).gainDb).toBe(7.8);
  });

  it('lowers the gain so the true peak stays at -1 dBTP', () => {
    expect(withGain({ integratedLufs: -20, truePeakDb: -3 }).gainDb).toBe(2);
  });

  it('turns a loud track down to the target', () => {
    expect(withGain({ integratedLufs: -8.5, truePeakDb: 0.4 })).toEqual({
      integratedLufs: -8.5,
      truePeakDb: 0.4,
      gainDb: -5.5,
    });
  });

  it('follows another target when given one', () => {
    expect(withGain({ integratedLufs: -20, truePeakDb: -10 }, { targetLufs: -16, peakCeilingDb: -2 }).gainDb).toBe(4);
  });
});
