import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { player } from '../player/player.svelte.ts';
import { qualityOptions } from '../player/quality.ts';
import { fakeEdge, nativeHlsAudio, playedTo, readyTrack } from '../test-support/fake-media.ts';
import PlayerBar from './player-bar.svelte';

const track = readyTrack('00000000-0000-4000-8000-000000000011', 'Bar Song');

function activeAudio() {
  return document.querySelector<HTMLAudioElement>('audio[data-active="true"]')!;
}

describe('player-bar', () => {
  beforeEach(() => {
    nativeHlsAudio();
    fakeEdge([0.1, 0.5, 0.9, 0.3, 0.7]);
    localStorage.clear();
    render(PlayerBar);
  });

  afterEach(() => {
    player.stop();
    player.setQuality('auto');
    vi.restoreAllMocks();
    vi.unstubAllGlobals();
  });

  it('says nothing is playing and disables the controls before anything is queued', () => {
    expect(screen.getByText('Nothing playing')).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Play' }) as HTMLButtonElement).disabled).toBe(true);
    expect((screen.getByRole('slider', { name: 'Seek' }) as HTMLInputElement).disabled).toBe(true);
  });

  it('turns play into pause while playing, and back', async () => {
    await player.playList([track]);
    const pause = await screen.findByRole('button', { name: 'Pause' });
    expect(screen.getByText('Bar Song')).toBeTruthy();

    await fireEvent.click(pause);

    await screen.findByRole('button', { name: 'Play' });
    expect(activeAudio().pause).toHaveBeenCalled();
  });

  it('draws the waveform as the seek slider and seeks 5 s per arrow key, once', async () => {
    await player.playList([track]);
    playedTo(activeAudio(), 30, 120);
    const slider = await waitFor(() => {
      const found = screen.getByRole('slider', { name: 'Seek' });
      expect(found.tagName).toBe('DIV');
      return found;
    });
    expect(slider.getAttribute('aria-valuetext')).toBe('0:30 of 2:00');

    await fireEvent.keyDown(slider, { key: 'ArrowRight' });

    expect(activeAudio().currentTime).toBe(35);
    expect(slider.getAttribute('aria-valuenow')).toBe('35');
  });

  it('offers Auto alone on native HLS', async () => {
    await player.playList([track]);
    const select = screen.getByRole('combobox', { name: 'Quality' }) as HTMLSelectElement;
    expect([...select.options].map((option) => option.text)).toEqual(['Auto']);
    expect(select.disabled).toBe(true);
  });

  it('offers each rendition when hls.js found them, and keeps the choice', async () => {
    player.qualities = qualityOptions([{ bitrate: 64_000 }, { bitrate: 128_000 }, { bitrate: 256_000 }]);
    const select = (await screen.findByRole('combobox', { name: 'Quality' })) as HTMLSelectElement;
    await waitFor(() => expect(select.options).toHaveLength(4));
    expect([...select.options].map((option) => option.text)).toEqual(['Auto', '64 kbit/s', '128 kbit/s', '256 kbit/s']);

    await fireEvent.change(select, { target: { value: '128000' } });

    expect(player.quality).toBe(128_000);
    expect(localStorage.getItem('tonearm.quality')).toBe('128000');
  });

  it('shows the queue with reorder and remove buttons', async () => {
    await player.playList([track, readyTrack('00000000-0000-4000-8000-000000000012', 'Next Song')]);
    await fireEvent.click(screen.getByRole('button', { name: 'Queue' }));

    await fireEvent.click(screen.getByRole('button', { name: 'Move Next Song up' }));
    expect(player.items.map((item) => item.title)).toEqual(['Next Song', 'Bar Song']);
    await fireEvent.click(screen.getByRole('button', { name: 'Remove Next Song from the queue' }));
    expect(player.items.map((item) => item.title)).toEqual(['Bar Song']);
  });
});
