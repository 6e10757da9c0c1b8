import { describe, expect, it } from 'vitest';
import { mediaTypeSchema, textField } from './text-fields.ts';

describe('textField', () => {
  it('refuses a NUL character and keeps any other text', () => {
    expect(textField().safeParse('a\u0000b').success).toBe(false);
    expect(textField().parse('Björk – Jóga 🎵')).toBe('Björk – Jóga 🎵');
  });
});

describe('mediaTypeSchema', () => {
  it('accepts media types with parameters', () => {
    expect(mediaTypeSchema.parse('audio/flac')).toBe('audio/flac');
    expect(mediaTypeSchema.parse('audio/ogg; codecs=opus')).toBe('audio/ogg; codecs=opus');
  });
  it.each(['audio/flåc', 'audio', 'text/plain\r\nX-Injected: 1', '', 'a/b; ü'])('refuses %j', (value) => {
    expect(mediaTypeSchema.safeParse(value).success).toBe(false);
  });
});
