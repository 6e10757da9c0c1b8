/** What the ebur128 filter measured over the whole track. */
export interface MeasuredLoudness {
  integratedLufs: number;
  truePeakDb: number;
}

/** Loudness of a track and the gain a player applies. */
export interface Loudness extends MeasuredLoudness {
  gainDb: number;
}

/** What playback normalises to: the loudness target and the true-peak ceiling after the gain. */
export interface LoudnessTarget {
  targetLufs: number;
  peakCeilingDb: number;
}

/** Streaming services' common target: -14 LUFS with at least 1 dB of true-peak headroom. */
export const DEFAULT_LOUDNESS_TARGET: LoudnessTarget = { targetLufs: -14, peakCeilingDb: -1 };

/** The floor reported for a silent track, whose true peak ffmpeg prints as `-inf`. */
export const SILENT_PEAK_DB = -120;

/**
 * Reads integrated loudness and true peak from the summary the ebur128 filter (with
 * `peak=true`) logs when it ends. Returns undefined when the text holds no complete summary.
 *
 * @example
 * parseEbur128Summary('Summary:\n  Integrated loudness:\n    I: -20.0 LUFS\n  True peak:\n    Peak: -3.1 dBFS');
 * // { integratedLufs: -20, truePeakDb: -3.1 }
 */
export function parseEbur128Summary(log: string): MeasuredLoudness | undefined {
  const at = log.lastIndexOf('Summary:');
  if (at === -1) return undefined;
  const summary = log.slice(at);
  const integrated = /^\s*I:\s+(-?(?:\d+(?:\.\d+)?|inf))\s+LUFS/m.exec(summary)?.[1];
  const peak = /True peak:\s*\n\s*Peak:\s+(-?(?:\d+(?:\.\d+)?|inf))\s+dBFS/.exec(summary)?.[1];
  if (integrated === undefined || peak === undefined) return undefined;
  return { integratedLufs: toDecibels(integrated), truePeakDb: toDecibels(peak) };
}

function toDecibels(text: string): number {
  const value = text.endsWith('inf') ? (text.startsWith('-') ? -Infinity : Infinity) : Number.parseFloat(text);
  return Math.round(Math.max(SILENT_PEAK_DB, value) * 10) / 10;
}

/**
 * The gain that brings a track to the target loudness, lowered when the track's true peak
 * would otherwise rise above the ceiling.
 *
 * @example
 * withGain({ integratedLufs: -20, truePeakDb: -3 }); // gainDb: 2 (6 would push the peak to +3 dBTP)
 */
export function withGain(measured: MeasuredLoudness, target: LoudnessTarget = DEFAULT_LOUDNESS_TARGET): Loudness {
  const toTarget = target.targetLufs - measured.integratedLufs;
  const headroom = target.peakCeilingDb - measured.truePeakDb;
  const gainDb = Math.round(Math.min(toTarget, headroom) * 10) / 10;
  return { ...measured, gainDb: gainDb === 0 ? 0 : gainDb };
}
