import { describe, expect, it } from 'vitest';
import { formatTime, normalisedVolume } from './loudness.ts';

describe('normalisedVolume', () => {
  it('lowers a loud track by its negative gain', () => {
    expect(normalisedVolume(0.8, -6)).toBeCloseTo(0.8 * 0.501, 3);
  });

  it('raises a quiet track but never past full volume', () => {
    expect(normalisedVolume(0.5, 3)).toBeCloseTo(0.706, 3);
    expect(normalisedVolume(1, 3)).toBe(1);
  });

  it('plays at the chosen volume when the track has no loudness yet', () => {
    expect(normalisedVolume(0.3, undefined)).toBe(0.3);
  });

  it.each([
    [-1, 0],
    [2, 1],
    [Number.NaN, 0],
  ])('clamps a volume of %d to %d', (volume, expected) => {
    expect(normalisedVolume(volume, 0)).toBe(expected);
  });
});

describe('formatTime', () => {
  it.each([
    [0, '0:00'],
    [5.9, '0:05'],
    [125, '2:05'],
    [3725, '1:02:05'],
    [Number.NaN, '0:00'],
    [-3, '0:00'],
  ])('shows %d seconds as %s', (seconds, text) => {
    expect(formatTime(seconds)).toBe(text);
  });
});
