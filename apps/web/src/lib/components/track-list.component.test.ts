import { fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { player } from '../player/player.svelte.ts';
import { fakeEdge, nativeHlsAudio, readyTrack } from '../test-support/fake-media.ts';
import PlayerBar from './player-bar.svelte';
import TrackList from './track-list.svelte';

const tracks = [
  readyTrack('00000000-0000-4000-8000-000000000021', 'Opening', { durationMs: 185_000 }),
  readyTrack('00000000-0000-4000-8000-000000000022', 'Still Working', { status: 'processing' }),
  readyTrack('00000000-0000-4000-8000-000000000023', 'Broken', { status: 'failed', error: 'not an audio file' }),
];

describe('track-list', () => {
  let edge: ReturnType<typeof fakeEdge>;

  beforeEach(() => {
    nativeHlsAudio();
    edge = fakeEdge();
    render(PlayerBar);
  });

  afterEach(() => {
    player.stop();
    vi.restoreAllMocks();
    vi.unstubAllGlobals();
  });

  it('lists titles, artists, albums, durations and statuses', () => {
    render(TrackList, { tracks });
    expect(screen.getByText('Opening')).toBeTruthy();
    expect(screen.getByText('3:05')).toBeTruthy();
    expect(screen.getAllByRole('link', { name: 'Test Artist' })[0]!.getAttribute('href')).toMatch(/^\/artists\//);
    expect(screen.getByText('processing…')).toBeTruthy();
    expect(screen.getByText('failed: not an audio file')).toBeTruthy();
  });

  it('only lets ready tracks be played or queued', () => {
    render(TrackList, { tracks });
    const disabled = (name: string) => (screen.getByRole('button', { name }) as HTMLButtonElement).disabled;
    expect(disabled('Play Opening')).toBe(false);
    expect(disabled('Play Still Working')).toBe(true);
    expect(disabled('Add Broken to the queue')).toBe(true);
  });

  it('plays the list from the track pressed and marks it as current', async () => {
    render(TrackList, { tracks });
    await fireEvent.click(screen.getByRole('button', { name: 'Play Opening' }));

    expect(player.current?.title).toBe('Opening');
    expect(player.items).toHaveLength(1);
    expect(screen.getByText('Opening', { selector: '.tracks .name' }).closest('li')!.classList).toContain('current');
  });

  it('gets a track ready when a pointer reaches its play button, and the click reuses that', async () => {
    render(TrackList, { tracks });
    const button = screen.getByRole('button', { name: 'Play Opening' });
    const masterUrl = `http://media.test/stream/${tracks[0]!.id}/master.m3u8?t=x`;
    await fireEvent.pointerEnter(button);
    // The warm-up asks for the master playlist as soon as the playback URL is there.
    await vi.waitFor(() => expect(edge.paths).toContain(masterUrl));
    await fireEvent.click(button);

    await vi.waitFor(() => expect(document.querySelector('audio[data-active]')?.getAttribute('src')).toBe(masterUrl));
    expect(edge.paths.filter((path) => path.endsWith('/playback'))).toEqual([`/api/tracks/${tracks[0]!.id}/playback`]);
  });

  it('adds a track to the queue', async () => {
    render(TrackList, { tracks });
    await fireEvent.click(screen.getByRole('button', { name: 'Add Opening to the queue' }));
    expect(player.items.map((track) => track.title)).toEqual(['Opening']);
  });
});
