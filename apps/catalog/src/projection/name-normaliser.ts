import { createHash } from 'node:crypto';

/** Letters NFKD leaves whole, spelled the way people type them without the key (as `unaccent` does). */
const LETTERS_WITHOUT_DECOMPOSITION: Record<string, string> = {
  æ: 'ae',
  œ: 'oe',
  ß: 'ss',
  ø: 'o',
  ð: 'd',
  þ: 'th',
  ł: 'l',
  đ: 'd',
  ı: 'i',
};

const FEATURING = /\s*[([]?\s*\b(?:feat\.?|ft\.?|featuring)(?:\s+|$).*$/iu;

/**
 * Tidies a name for display: trims, collapses runs of white space and drops a "feat." credit,
 * keeping the original spelling otherwise.
 *
 * @example
 * displayArtist('  Daft   Punk feat. Pharrell Williams'); // 'Daft Punk'
 */
export function displayArtist(name: string): string {
  const tidy = collapseSpaces(name);
  const primary = collapseSpaces(tidy.replace(FEATURING, ''));
  return primary.length > 0 ? primary : tidy;
}

/**
 * Tidies a title for display: trims and collapses runs of white space.
 *
 * @example
 * displayTitle(' OK   Computer '); // 'OK Computer'
 */
export function displayTitle(title: string): string {
  return collapseSpaces(title);
}

/**
 * The grouping key of a name: no accents, lower case, punctuation and spacing ignored, so that
 * spellings users consider the same map to one artist or album.
 *
 * @example
 * nameKey('Beyoncé'); // 'beyonce'
 * nameKey('AC/DC') === nameKey('ac dc'); // true
 */
export function nameKey(name: string): string {
  const key = name
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[æœßøðþłđı]/gu, (letter) => LETTERS_WITHOUT_DECOMPOSITION[letter]!)
    .replace(/&/g, ' and ')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
  return key.length > 0 ? key : name.trim().toLowerCase();
}

/**
 * The grouping key of an artist credit: the key of its primary artist, "feat." dropped.
 *
 * @example
 * artistKey('Beyoncé feat. Jay-Z') === artistKey('BEYONCE'); // true
 */
export function artistKey(name: string): string {
  return nameKey(displayArtist(name));
}

/**
 * A UUID derived from a name (UUID v5 layout over SHA-1), so the same artist or album gets the
 * same id in every projection of the same history, a rebuild included.
 *
 * @example
 * stableId('artist', 'radiohead') === stableId('artist', 'radiohead'); // true
 */
export function stableId(kind: string, key: string): string {
  const hash = createHash('sha1').update(`tonearm:${kind}:${key}`).digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

function collapseSpaces(text: string): string {
  return text.replace(/[\s\p{Cc}]+/gu, ' ').trim();
}
