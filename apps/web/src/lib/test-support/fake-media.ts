import type { Track } from '@tonearm/contracts';
import { vi } from 'vitest';

/** A ready track for component tests. */
export function readyTrack(id: string, title: string, overrides: Partial<Track> = {}): Track {
  return {
    id,
    title,
    artist: { id: '00000000-0000-4000-8000-0000000000a1', name: 'Test Artist' },
    album: { id: '00000000-0000-4000-8000-0000000000b1', title: 'Test Album' },
    trackNumber: 1,
    discNumber: 1,
    durationMs: 120_000,
    status: 'ready',
    hasCover: false,
    owner: { id: '00000000-0000-4000-8000-0000000000c1' },
    playCount: 0,
    createdAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  } as Track;
}

/**
 * Stands in for the edge's playback and waveform answers (the component tests run without a
 * server) and records the paths asked for.
 */
export function fakeEdge(peaks: number[] = [0.2, 0.6, 1, 0.4]) {
  const paths: string[] = [];
  const fetch = vi.fn(async (input: RequestInfo | URL) => {
    const path = String(input);
    paths.push(path);
    const playback = /^\/api\/tracks\/([^/]+)\/playback$/.exec(path);
    if (playback) {
      return Response.json({
        masterUrl: `http://media.test/stream/${playback[1]}/master.m3u8?t=x`,
        expiresAt: '2030-01-01T00:00:00.000Z',
      });
    }
    if (/^\/api\/tracks\/[^/]+\/waveform$/.test(path)) return Response.json({ peaks });
    return Response.json({ error: { code: 'not_found', message: 'no route' } }, { status: 404 });
  });
  vi.stubGlobal('fetch', fetch);
  return { paths };
}

/**
 * Makes happy-dom's `<audio>` elements behave like a browser with native HLS: `play()` resolves
 * and fires `play`, `pause()` fires `pause`, and a duration can be set.
 */
export function nativeHlsAudio() {
  const proto = HTMLMediaElement.prototype;
  vi.spyOn(proto, 'canPlayType').mockReturnValue('maybe');
  vi.spyOn(proto, 'play').mockImplementation(function (this: HTMLMediaElement) {
    Object.defineProperty(this, 'paused', { value: false, configurable: true });
    this.dispatchEvent(new Event('play'));
    return Promise.resolve();
  });
  vi.spyOn(proto, 'pause').mockImplementation(function (this: HTMLMediaElement) {
    Object.defineProperty(this, 'paused', { value: true, configurable: true });
    this.dispatchEvent(new Event('pause'));
  });
}

/** Pretends the element has played to `currentTime` of a track of `duration` seconds. */
export function playedTo(audio: HTMLMediaElement, currentTime: number, duration: number): void {
  Object.defineProperty(audio, 'duration', { value: duration, configurable: true });
  audio.dispatchEvent(new Event('durationchange'));
  Object.defineProperty(audio, 'currentTime', { value: currentTime, configurable: true, writable: true });
  audio.dispatchEvent(new Event('timeupdate'));
}
