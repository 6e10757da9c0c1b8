import { render } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { readyTrack } from '../test-support/fake-media.ts';
import TrackList from './track-list.svelte';

const withCover = readyTrack('00000000-0000-4000-8000-000000000031', 'Pictured', { hasCover: true });
const withoutCover = readyTrack('00000000-0000-4000-8000-000000000032', 'Plain', { hasCover: false });

describe('track-list covers', () => {
  it('asks the edge only for the covers the catalog says exist', () => {
    const { container } = render(TrackList, { tracks: [withCover, withoutCover] });

    const images = [...container.querySelectorAll('.cover img')].map((image) => image.getAttribute('src'));
    expect(images).toEqual([`/api/tracks/${withCover.id}/cover`]);
    expect(container.querySelectorAll('.cover[data-placeholder="true"]')).toHaveLength(1);
  });

  it('shows a processing track’s cover once it has one', () => {
    const processing = { ...withCover, status: 'processing' as const };
    const { container } = render(TrackList, { tracks: [processing] });

    expect(container.querySelector('.cover img')?.getAttribute('src')).toBe(`/api/tracks/${withCover.id}/cover`);
  });
});
