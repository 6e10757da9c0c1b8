import { describe, expect, it } from 'vitest';
import { barHeights, seekTarget, timeAtPointer } from './waveform.ts';

describe('barHeights', () => {
  it('keeps the loudest peak of each bucket', () => {
    expect(barHeights([0.1, 0.9, 0.2, 0.4], 2)).toEqual([0.9, 0.4]);
  });

  it('never draws more bars than there are peaks, and clamps bad values', () => {
    expect(barHeights([2, -1, Number.NaN], 10)).toEqual([1, 0, 0]);
  });

  it('gives nothing for no peaks or no room', () => {
    expect(barHeights([], 10)).toEqual([]);
    expect(barHeights([0.5], 0)).toEqual([]);
  });

  it('covers every peak when the counts do not divide', () => {
    const peaks = [0, 0, 0, 0, 0, 0, 1];
    expect(barHeights(peaks, 3).at(-1)).toBe(1);
  });
});

describe('seekTarget', () => {
  it('steps 5 s with the arrows and stays inside the track', () => {
    expect(seekTarget('ArrowRight', 60, 200)).toBe(65);
    expect(seekTarget('ArrowDown', 60, 200)).toBe(55);
    expect(seekTarget('ArrowLeft', 2, 200)).toBe(0);
    expect(seekTarget('ArrowUp', 198, 200)).toBe(200);
  });

  it('pages by a tenth and jumps to the ends', () => {
    expect(seekTarget('PageUp', 10, 200)).toBe(30);
    expect(seekTarget('PageDown', 10, 200)).toBe(0);
    expect(seekTarget('Home', 100, 200)).toBe(0);
    expect(seekTarget('End', 100, 200)).toBe(200);
  });

  it('leaves other keys and unknown durations alone', () => {
    expect(seekTarget('a', 10, 200)).toBeNull();
    expect(seekTarget('ArrowRight', 10, 0)).toBeNull();
    expect(seekTarget('ArrowRight', 10, Number.NaN)).toBeNull();
  });
});

describe('timeAtPointer', () => {
  it('maps the pointer across the bar to the track', () => {
    expect(timeAtPointer(150, { left: 100, width: 200 }, 180)).toBe(45);
  });

  it('clamps outside the bar and answers 0 without a size', () => {
    expect(timeAtPointer(0, { left: 100, width: 200 }, 180)).toBe(0);
    expect(timeAtPointer(900, { left: 100, width: 200 }, 180)).toBe(180);
    expect(timeAtPointer(150, { left: 100, width: 0 }, 180)).toBe(0);
  });
});
