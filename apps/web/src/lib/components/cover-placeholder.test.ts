import { describe, expect, it } from 'vitest';
import { placeholderCover } from './cover-placeholder.ts';

describe('placeholderCover', () => {
  it('is the same for the same name and differs between names', () => {
    expect(placeholderCover('Blue Train')).toEqual(placeholderCover('Blue Train'));
    expect(placeholderCover('Blue Train').from).not.toBe(placeholderCover('Kind of Blue').from);
  });

  it('shows the first letter, upper case, even beyond the BMP', () => {
    expect(placeholderCover('  élan').letter).toBe('É');
    expect(placeholderCover('𝄞 clef').letter).toBe('𝄞');
  });

  it('has a note for an empty name', () => {
    expect(placeholderCover('').letter).toBe('♪');
  });
});
