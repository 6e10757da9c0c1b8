import { describe, expect, it } from 'vitest';
import { looksLikeAudio } from './audio-files.ts';

describe('looksLikeAudio', () => {
  it('takes audio by type or by extension, in any case', () => {
    expect(looksLikeAudio({ name: 'track', type: 'audio/flac' })).toBe(true);
    expect(looksLikeAudio({ name: 'Album/01 Song.FLAC', type: '' })).toBe(true);
    expect(looksLikeAudio({ name: 'renamed.mp3', type: '' })).toBe(true);
  });

  it('leaves out covers, notes and hidden files of a dropped folder', () => {
    expect(looksLikeAudio({ name: 'cover.jpg', type: 'image/jpeg' })).toBe(false);
    expect(looksLikeAudio({ name: 'notes', type: '' })).toBe(false);
    expect(looksLikeAudio({ name: 'Album/.DS_Store', type: '' })).toBe(false);
    expect(looksLikeAudio({ name: '._01 Song.flac', type: 'audio/flac' })).toBe(false);
  });
});
