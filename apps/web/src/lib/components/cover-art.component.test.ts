import { fireEvent, render } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import CoverArt from './cover-art.svelte';

describe('cover-art', () => {
  it('shows the image when there is one', () => {
    const { container } = render(CoverArt, { src: '/api/albums/a/cover', name: 'Blue Train' });
    expect(container.querySelector('img')?.getAttribute('src')).toBe('/api/albums/a/cover');
    expect(container.querySelector('.letter')).toBeNull();
  });

  it('generates a cover without one', () => {
    const { container } = render(CoverArt, { src: null, name: 'blue train' });
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelector('.letter')?.textContent).toBe('B');
  });

  it('falls back to the generated cover when the image fails', async () => {
    const { container } = render(CoverArt, { src: '/api/tracks/t/cover', name: 'Tone' });
    await fireEvent.error(container.querySelector('img')!);
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelector('.letter')?.textContent).toBe('T');
  });
});
