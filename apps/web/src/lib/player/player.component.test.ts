import { render, waitFor } from '@testing-library/svelte';
import { flushSync } from 'svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import PlayerBar from '../components/player-bar.svelte';
import { fakeEdge, nativeHlsAudio, playedTo, readyTrack } from '../test-support/fake-media.ts';
import { player } from './player.svelte.ts';

const first = readyTrack('00000000-0000-4000-8000-000000000001', 'First');
const second = readyTrack('00000000-0000-4000-8000-000000000002', 'Second');
const third = readyTrack('00000000-0000-4000-8000-000000000003', 'Third');

function audios() {
  const all = [...document.querySelectorAll('audio')];
  const active = all.find((audio) => audio.dataset.active === 'true')!;
  return { active, spare: all.find((audio) => audio !== active)! };
}

describe('player store', () => {
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

  it('plays a list from the chosen track, with its waveform', async () => {
    await player.playList([first, second, third], 1);

    expect(player.current?.title).toBe('Second');
    expect(player.items.map((track) => track.title)).toEqual(['First', 'Second', 'Third']);
    expect(player.playing).toBe(true);
    expect(audios().active.src).toContain(`/stream/${second.id}/master.m3u8`);
    await waitFor(() => expect(player.peaks).toEqual([0.2, 0.6, 1, 0.4]));
  });

  it('skips tracks that are not ready', async () => {
    const processing = readyTrack('00000000-0000-4000-8000-000000000004', 'Processing', { status: 'processing' });
    await player.playList([processing, first], 0);
    expect(player.items.map((track) => track.title)).toEqual(['First']);
  });

  it('queues, reorders and removes', async () => {
    await player.enqueue(first);
    await player.enqueue(second);
    await player.enqueue(third);
    expect(player.current?.title).toBe('First');

    player.move(2, 1);
    expect(player.items.map((track) => track.title)).toEqual(['First', 'Third', 'Second']);
    player.remove(1);
    expect(player.items.map((track) => track.title)).toEqual(['First', 'Second']);
  });

  it('loads the next track on the spare element before the end and switches to it on ended', async () => {
    await player.playList([first, second], 0);
    const { active, spare } = audios();

    playedTo(active, 100, 120);
    expect(edge.paths).not.toContain(`/api/tracks/${second.id}/playback`);
    playedTo(active, 110, 120);
    await waitFor(() => expect(spare.src).toContain(`/stream/${second.id}/master.m3u8`));
    const asked = edge.paths.length;

    active.dispatchEvent(new Event('ended'));

    await waitFor(() => expect(player.current?.title).toBe('Second'));
    expect(audios().active).toBe(spare);
    expect(spare.play).toHaveBeenCalled();
    expect(player.playing).toBe(true);
    expect(edge.paths.slice(asked).filter((path) => path.endsWith('/playback'))).toEqual([]);
    expect(active.getAttribute('src')).toBeNull();
  });

  it('recovers a native HLS error mid-play: a fresh playback URL, the same position, playing again', async () => {
    await player.playList([first], 0);
    const { active } = audios();
    playedTo(active, 42, 120);
    const asked = edge.paths.filter((path) => path.endsWith('/playback')).length;

    Object.defineProperty(active, 'error', { value: { code: 2 }, configurable: true });
    active.dispatchEvent(new Event('error'));

    await waitFor(() => expect(edge.paths.filter((path) => path.endsWith('/playback'))).toHaveLength(asked + 1));
    await waitFor(() => expect(player.playing).toBe(true));
    expect(active.src).toContain(`/stream/${first.id}/master.m3u8`);
    expect(active.currentTime).toBe(42);
    expect(player.error).toBeNull();
  });

  it('gives up with a message after a few failed recoveries in a row, and play starts again', async () => {
    await player.playList([first], 0);
    const { active } = audios();
    playedTo(active, 42, 120);
    Object.defineProperty(active, 'error', { value: { code: 2 }, configurable: true });
    for (let failure = 0; failure < 4; failure += 1) {
      await waitFor(() => expect(player.playing).toBe(true));
      active.dispatchEvent(new Event('error'));
    }

    await waitFor(() => expect(player.error).toMatch(/press play/i));
    expect(player.playing).toBe(false);
    const asked = edge.paths.length;
    player.toggle();
    await waitFor(() => expect(player.playing).toBe(true));
    expect(edge.paths.slice(asked)).toContain(`/api/tracks/${first.id}/playback`);
    expect(player.error).toBeNull();
  });

  it('drops a preload when the queue changes under it', async () => {
    await player.playList([first, second, third], 0);
    const { active, spare } = audios();
    playedTo(active, 110, 120);
    await waitFor(() => expect(spare.src).toContain(second.id));

    player.remove(1);
    playedTo(active, 111, 120);

    await waitFor(() => expect(spare.src).toContain(third.id));
  });

  it('stops at the end of the queue with repeat off', async () => {
    await player.playList([first], 0);
    audios().active.dispatchEvent(new Event('ended'));
    flushSync();
    expect(player.playing).toBe(false);
  });

  it('forgets everything on stop', async () => {
    await player.playList([first, second], 0);
    player.stop();
    expect(player.current).toBeNull();
    expect(player.peaks).toBeNull();
    for (const audio of document.querySelectorAll('audio')) expect(audio.getAttribute('src')).toBeNull();
  });
});
