/**
 * Resamples waveform peaks to `bars` values by taking the loudest peak of each bucket, so a
 * short transient never disappears when the waveform is drawn narrower than it was measured.
 * Values are clamped to 0..1; no peaks give no bars.
 * @example
 * barHeights([0.1, 0.9, 0.2, 0.4], 2) // [0.9, 0.4]
 */
export function barHeights(peaks: readonly number[], bars: number): number[] {
  if (peaks.length === 0 || bars <= 0) return [];
  const count = Math.min(Math.floor(bars), peaks.length);
  const heights: number[] = [];
  for (let bar = 0; bar < count; bar += 1) {
    const from = Math.floor((bar * peaks.length) / count);
    const to = Math.max(from + 1, Math.floor(((bar + 1) * peaks.length) / count));
    let loudest = 0;
    for (let at = from; at < to; at += 1) loudest = Math.max(loudest, clamp01(peaks[at] ?? 0));
    heights.push(loudest);
  }
  return heights;
}

/**
 * The position a key press on the seek slider moves to, or null for keys the slider leaves
 * alone: arrows step 5 s, Page Up/Down 10 % of the track, Home/End the ends.
 * @example
 * seekTarget('ArrowRight', 60, 200) // 65
 */
export function seekTarget(key: string, current: number, duration: number): number | null {
  if (!(duration > 0)) return null;
  const step = { ArrowRight: 5, ArrowUp: 5, ArrowLeft: -5, ArrowDown: -5 }[key];
  const page = { PageUp: 0.1, PageDown: -0.1 }[key];
  let target: number;
  if (step !== undefined) target = current + step;
  else if (page !== undefined) target = current + page * duration;
  else if (key === 'Home') target = 0;
  else if (key === 'End') target = duration;
  else return null;
  return Math.min(duration, Math.max(0, target));
}

/**
 * The time under a pointer at `clientX` on a seek bar spanning `left`..`left + width`.
 * @example
 * timeAtPointer(150, { left: 100, width: 200 }, 180) // 45
 */
export function timeAtPointer(clientX: number, box: { left: number; width: number }, duration: number): number {
  if (!(box.width > 0) || !(duration > 0)) return 0;
  return clamp01((clientX - box.left) / box.width) * duration;
}

function clamp01(value: number): number {
  return Number.isFinite(value) ? Math.min(1, Math.max(0, value)) : 0;
}
