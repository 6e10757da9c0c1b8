import { describe, expect, it } from 'vitest';
import { mergeTags, tagsFromFilename, UNKNOWN_ARTIST } from './filename-tags.ts';

describe('tagsFromFilename', () => {
  it.each([
    ['01 - Nina Simone - Sinnerman.flac', { trackNumber: 1, artist: 'Nina Simone', title: 'Sinnerman' }],
    ['12 - Artist - Title.mp3', { trackNumber: 12, artist: 'Artist', title: 'Title' }],
    ['Artist - Title.ogg', { trackNumber: null, artist: 'Artist', title: 'Title' }],
    ['03 - Title Only.wav', { trackNumber: 3, artist: null, title: 'Title Only' }],
    ['04. Song Name.m4a', { trackNumber: 4, artist: null, title: 'Song Name' }],
    ['05 Song Name.opus', { trackNumber: 5, artist: null, title: 'Song Name' }],
    ['1-03 Artist - Title.flac', { trackNumber: 3, artist: 'Artist', title: 'Title' }],
    ['07_-_Some_Artist_-_Some_Title.mp3', { trackNumber: 7, artist: 'Some Artist', title: 'Some Title' }],
    ['Artist - Title - Live at Home.aiff', { trackNumber: null, artist: 'Artist', title: 'Title - Live at Home' }],
    ['01 – Artist – Title.flac', { trackNumber: 1, artist: 'Artist', title: 'Title' }],
    ['  spaced   out  .mp3', { trackNumber: null, artist: null, title: 'spaced out' }],
    ['just a title', { trackNumber: null, artist: null, title: 'just a title' }],
    ['1979.mp3', { trackNumber: null, artist: null, title: '1979' }],
    ['music/albums/02 - Band - Song.flac', { trackNumber: 2, artist: 'Band', title: 'Song' }],
    ['AC-DC - Thunderstruck.mp3', { trackNumber: null, artist: 'AC-DC', title: 'Thunderstruck' }],
    ['00 - Intro.mp3', { trackNumber: null, artist: null, title: 'Intro' }],
  ])('reads %j', (filename, expected) => {
    expect(tagsFromFilename(filename)).toEqual(expected);
  });

  it('never answers an empty title', () => {
    expect(tagsFromFilename('.mp3').title).not.toBe('');
  });
});

describe('mergeTags', () => {
  const empty = {
    title: null,
    artist: null,
    album: null,
    albumArtist: null,
    trackNumber: null,
    discNumber: null,
    year: null,
    genre: null,
  };

  it('keeps the tags of the file over its name', () => {
    const sut = mergeTags({ ...empty, title: 'Tagged', artist: 'Tagger', trackNumber: 9 }, '01 - Name - Other.mp3');
    expect(sut).toMatchObject({ title: 'Tagged', artist: 'Tagger', trackNumber: 9 });
  });

  it('fills what the file lacks from its name', () => {
    expect(mergeTags(empty, '02 - Band - Song.flac')).toEqual({
      ...empty,
      title: 'Song',
      artist: 'Band',
      trackNumber: 2,
    });
  });

  it('uses the album artist, then a placeholder, when no artist is known', () => {
    expect(mergeTags({ ...empty, albumArtist: 'Various' }, 'Song.mp3').artist).toBe('Various');
    expect(mergeTags(empty, 'Song.mp3').artist).toBe(UNKNOWN_ARTIST);
  });
});
