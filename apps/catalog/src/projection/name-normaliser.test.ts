import { describe, expect, it } from 'vitest';
import { artistKey, displayArtist, displayTitle, nameKey, stableId } from './name-normaliser.ts';

describe('displayArtist', () => {
  it.each([
    ['Daft Punk feat. Pharrell Williams', 'Daft Punk'],
    ['Daft Punk (feat. Pharrell Williams)', 'Daft Punk'],
    ['Daft Punk [Feat Pharrell]', 'Daft Punk'],
    ['Daft Punk ft. Pharrell', 'Daft Punk'],
    ['Daft Punk featuring Pharrell', 'Daft Punk'],
    ['  Daft    Punk  ', 'Daft Punk'],
  ])('drops the featured credit and extra spaces from %j', (input, expected) => {
    expect(displayArtist(input)).toBe(expected);
  });

  it('keeps words that only start like a credit', () => {
    expect(displayArtist('Feathers')).toBe('Feathers');
    expect(displayArtist('Aftermath')).toBe('Aftermath');
  });

  it('keeps a name that is nothing but a credit word', () => {
    expect(displayArtist('Feat.')).toBe('Feat.');
  });
});

describe('nameKey', () => {
  it('ignores accents, case, spacing and punctuation', () => {
    expect(nameKey('Beyoncé')).toBe('beyonce');
    expect(nameKey('  BEYONCE ')).toBe('beyonce');
    expect(nameKey('Sigur Rós')).toBe(nameKey('sigur   ros'));
    expect(nameKey('AC/DC')).toBe(nameKey('ac dc'));
    expect(nameKey('Simon & Garfunkel')).toBe(nameKey('Simon and Garfunkel'));
  });

  it('spells out letters that have no accent to strip', () => {
    expect(nameKey('Ágætis byrjun')).toBe('agaetis byrjun');
    expect(nameKey('Mø')).toBe('mo');
    expect(nameKey('Straße')).toBe(nameKey('STRASSE'));
    expect(nameKey('Łódź')).toBe('lodz');
  });

  it('keeps letters of every script', () => {
    expect(nameKey('坂本龍一')).toBe('坂本龍一');
    expect(nameKey('Мумий Тролль')).toBe(nameKey('МУМИЙ  ТРОЛЛЬ'));
    expect(nameKey('Мумий Тролль')).toMatch(/^мум/);
  });

  it('falls back to the lower-cased name when it has no letters or digits', () => {
    expect(nameKey(' ?! ')).toBe('?!');
  });
});

describe('artistKey', () => {
  it('maps featured credits, capitals and accents to one artist', () => {
    const keys = ['Beyoncé feat. Jay-Z', 'BEYONCE', 'beyonce  (ft. Kendrick Lamar)', 'Beyonce'].map(artistKey);
    expect(new Set(keys)).toEqual(new Set(['beyonce']));
  });
});

describe('displayTitle', () => {
  it('collapses spaces', () => {
    expect(displayTitle('  OK   Computer ')).toBe('OK Computer');
  });
});

describe('stableId', () => {
  it('is the same uuid for the same name and differs between kinds and names', () => {
    const sut = stableId('artist', 'radiohead');
    expect(sut).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(stableId('artist', 'radiohead')).toBe(sut);
    expect(stableId('album', 'radiohead')).not.toBe(sut);
    expect(stableId('artist', 'radiohed')).not.toBe(sut);
  });
});

describe('control characters', () => {
  it('become spaces in display names, which Postgres text could not store', () => {
    expect(displayTitle('A\u0000B\u0007')).toBe('A B');
    expect(displayArtist('\u0000Daft\nPunk')).toBe('Daft Punk');
  });
});
