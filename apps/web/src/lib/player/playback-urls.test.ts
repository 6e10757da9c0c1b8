import type { PlaybackResponse } from '@tonearm/contracts';
import { describe, expect, it } from 'vitest';
import { keptUrls, PlaybackUrls, reuseForMs, reuseMarginMs } from './playback-urls.ts';

const t0 = Date.parse('2026-01-01T00:00:00.000Z');

/** A request counting its calls, answering URLs that end `lifeMs` (an hour) after `clock.now`. */
function edge(clock: { now: number }, lifeMs = 3_600_000) {
  const asked: string[] = [];
  const request = (trackId: string): Promise<PlaybackResponse> => {
    asked.push(trackId);
    return Promise.resolve({
      masterUrl: `https://edge.test/stream/${trackId}/master.m3u8?t=${asked.length}`,
      expiresAt: new Date(clock.now + lifeMs).toISOString(),
    });
  };
  return { asked, request };
}

describe('PlaybackUrls', () => {
  it('answers the click with the URL asked for on intent, without a second request', async () => {
    const clock = { now: t0 };
    const { asked, request } = edge(clock);
    const urls = new PlaybackUrls(request, () => clock.now);
    const onIntent = urls.get('a');
    const onClick = urls.get('a');
    expect(await onClick).toEqual(await onIntent);
    expect(asked).toEqual(['a']);
  });

  it('asks again once the kept URL has less than the margin left', async () => {
    const clock = { now: t0 };
    const { asked, request } = edge(clock, reuseMarginMs + 30_000);
    const urls = new PlaybackUrls(request, () => clock.now);
    const first = await urls.get('a');
    clock.now = t0 + 30_000 - 1;
    expect(await urls.get('a')).toEqual(first);
    clock.now += 2;
    expect((await urls.get('a')).masterUrl).not.toBe(first.masterUrl);
    expect(asked).toEqual(['a', 'a']);
  });

  it('asks again once the kept URL is older than a minute', async () => {
    const clock = { now: t0 };
    const { asked, request } = edge(clock);
    const urls = new PlaybackUrls(request, () => clock.now);
    const first = await urls.get('a');
    clock.now = t0 + reuseForMs;
    expect(await urls.get('a')).toEqual(first);
    clock.now += 1;
    expect((await urls.get('a')).masterUrl).not.toBe(first.masterUrl);
    expect(asked).toEqual(['a', 'a']);
  });

  it('forgets a failed request, and a URL the media refused', async () => {
    const clock = { now: t0 };
    const { asked, request } = edge(clock);
    let fail = true;
    const urls = new PlaybackUrls(
      (id) => (fail ? Promise.reject(new Error('offline')) : request(id)),
      () => clock.now,
    );
    await expect(urls.get('a')).rejects.toThrow('offline');
    fail = false;
    const { masterUrl } = await urls.get('a');
    urls.forget('a');
    expect((await urls.get('a')).masterUrl).not.toBe(masterUrl);
    expect(asked).toEqual(['a', 'a']);
  });

  it(`keeps the ${keptUrls} most recently used tracks`, async () => {
    const clock = { now: t0 };
    const { asked, request } = edge(clock);
    const urls = new PlaybackUrls(request, () => clock.now);
    for (let n = 0; n <= keptUrls; n += 1) await urls.get(`t${n}`);
    await urls.get(`t${keptUrls}`);
    expect(asked).toHaveLength(keptUrls + 1);
    await urls.get('t0');
    expect(asked).toHaveLength(keptUrls + 2);
    urls.clear();
    await urls.get(`t${keptUrls}`);
    expect(asked).toHaveLength(keptUrls + 3);
  });
});
