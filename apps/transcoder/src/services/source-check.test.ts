import { describe, expect, it } from 'vitest';
import {
  checkDecodedLength,
  formatPosition,
  outputChannels,
  outputSampleRate,
  planAudio,
  type ProbeSummary,
} from './source-check.ts';

function probe(audio: Partial<NonNullable<ProbeSummary['audio']>> | undefined, formatName = 'flac'): ProbeSummary {
  return {
    formatName,
    durationSeconds: 240,
    audio: audio && { index: 0, codec: 'flac', sampleRate: 44_100, channels: 2, durationSeconds: 240, ...audio },
  };
}

describe('formatPosition', () => {
  it('writes minutes and seconds, and hours past an hour', () => {
    expect(formatPosition(83.9)).toBe('1:23');
    expect(formatPosition(5)).toBe('0:05');
    expect(formatPosition(3723)).toBe('1:02:03');
  });
});

describe('output format', () => {
  it('keeps the 44.1 kHz family at 44.1 kHz and moves every other rate to 48 kHz', () => {
    expect([8_000, 11_025, 22_050, 44_100, 48_000, 88_200, 96_000, 176_400, 192_000].map(outputSampleRate)).toEqual([
      48_000, 44_100, 44_100, 44_100, 48_000, 44_100, 48_000, 44_100, 48_000,
    ]);
  });

  it('keeps mono and mixes everything wider down to stereo', () => {
    expect([1, 2, 6, 8].map(outputChannels)).toEqual([1, 2, 2, 2]);
  });
});

describe('planAudio', () => {
  it('plans a 6-channel 96 kHz source as 48 kHz stereo', () => {
    expect(planAudio(probe({ sampleRate: 96_000, channels: 6 }))).toEqual({
      ok: true,
      plan: { sampleRate: 48_000, channels: 2, sourceSampleRate: 96_000, sourceChannels: 6, expectedSeconds: 240 },
    });
  });

  it('refuses a file without audio as not an audio file', () => {
    expect(planAudio(probe(undefined))).toEqual({ ok: false, reason: 'not an audio file: it holds no audio stream' });
  });

  it('refuses sample rates outside 8 to 192 kHz', () => {
    expect(planAudio(probe({ sampleRate: 4_000 }))).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/4000 Hz/),
    });
    expect(planAudio(probe({ sampleRate: 384_000 }))).toMatchObject({ ok: false });
  });

  it('refuses more than 8 channels', () => {
    expect(planAudio(probe({ channels: 16 }))).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/16 channels/),
    });
  });

  it('refuses sources longer than 3 hours', () => {
    expect(planAudio(probe({ durationSeconds: 4 * 3600 }))).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/4:00:00 long/),
    });
  });
});

describe('checkDecodedLength', () => {
  it('names where a FLAC whose frames stop early was cut off', () => {
    expect(checkDecodedLength(probe({}), 83.4)).toBe('the audio stream is truncated at 1:23 (the file says 4:00)');
  });

  it('accepts a decode that matches the declared length within half a second', () => {
    expect(checkDecodedLength(probe({}), 239.7)).toBeUndefined();
  });

  it('does not judge formats whose duration is only an estimate', () => {
    expect(checkDecodedLength(probe({}, 'mp3'), 83.4)).toBeUndefined();
  });

  it('refuses a file that decodes to nothing', () => {
    expect(checkDecodedLength(probe({}, 'mp3'), 0)).toBe('the file holds no audio that can be decoded');
  });
});
