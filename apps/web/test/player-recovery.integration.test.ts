import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import type { ChildService } from '@tonearm/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, toneFlac, upload, waitUntilReady, type Listener } from '../../edge/test/support/listener.ts';
import { startPlatform, type Platform } from '../../edge/test/support/platform.ts';
import { launchChromium, signInPages, startWeb, stopBrowserTest } from './support/web-e2e.ts';

/** Browser globals as the `page.evaluate` callbacks use them (the tests are typed without the DOM library). */
declare const document: { querySelector(selector: string): { currentTime: number; paused: boolean } | null };

/** The shortest media token the edge accepts (its schema's minimum), so a token dies within the test. */
const tokenSeconds = 60;
/** Long enough that neither player has the whole track buffered when the token dies (with {@link throughput}). */
const trackSeconds = 150;
/**
 * The network each player gets once the page is up, in bytes per second, as on a slow mobile
 * link: a quarter above the rendition it plays (Chromium's native HLS picks the 256 kbit/s one,
 * hls.js stays on the 64 kbit/s one at this speed), so it keeps up but has not buffered far when
 * the token dies. Unthrottled, both buffer the whole track in seconds (hls.js's buffer target
 * grows to 600 s at low bitrates) and never meet the dead token.
 */
const throughput = { native: 40_000, hlsJs: 14_000 };
const title = 'Long Tone';

let platform: Platform;
let web: ChildService;
let owner: Listener;
let workDir: string;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  platform = await startPlatform({
    readyTimeoutMs: 120_000,
    edgeEnv: { EDGE_MEDIA_TOKEN_TTL_SECONDS: String(tokenSeconds) },
  });
  web = await startWeb(platform);
  workDir = await mkdtemp(join(tmpdir(), 'tonearm-web-recovery-'));
  owner = await signUp(platform);
  const id = await upload(platform, owner, 'long.flac', await toneFlac(trackSeconds, title));
  await waitUntilReady(platform, owner, id, 180_000);
}, 400_000);

afterAll(async () => {
  await Promise.all(contexts.map((context) => context.close()));
  await stopBrowserTest({ web, platform, dir: workDir });
}, 60_000);

/** What a page saw of the playback URLs and the media the player asked for. */
interface Traffic {
  playbackUrls: number;
  /** Media requests the edge refused (the token had died). */
  refused: number;
  /** Every media answer (seconds since the page opened, status, path), for the failure message. */
  log: string[];
}

/**
 * Opens the home page signed in (a session of its own) in a Chromium of its own; with `hlsJs`,
 * the page is told the browser has no native HLS (as in Firefox), so the app plays through hls.js.
 */
async function openSignedIn(name: 'native' | 'hlsJs'): Promise<{ page: Page; traffic: Traffic }> {
  const hlsJs = name === 'hlsJs';
  const login = await platform.request('POST', '/api/auth/login', {
    body: { email: owner.email, password: owner.password },
  });
  const context = await launchChromium(await mkdtemp(join(workDir, `${name}-`)));
  contexts.push(context);
  await signInPages(context, login.body.refreshToken as string, { hideNativeHls: hlsJs });
  const page = context.pages()[0] ?? (await context.newPage());
  const traffic: Traffic = { playbackUrls: 0, refused: 0, log: [] };
  const opened = Date.now();
  page.on('response', (response) => {
    const path = new URL(response.url()).pathname;
    if (/^\/api\/tracks\/[^/]+\/playback$/.test(path) && response.ok()) traffic.playbackUrls += 1;
    if (!path.startsWith('/stream/') && !path.endsWith('/playback')) return;
    traffic.log.push(`${((Date.now() - opened) / 1000).toFixed(1)} s ${response.status()} ${path}`);
    if (response.status() === 401 || response.status() === 403) traffic.refused += 1;
  });
  await page.goto(`${platform.edgeUrl}/`);
  // A pointer on the button first: the app imports hls.js then (where it needs it), a chunk that
  // would take half a minute on the throttled link the test is about media, not code.
  await page.getByRole('button', { name: `Play ${title}` }).hover();
  await page.waitForLoadState('networkidle');
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 20,
    downloadThroughput: throughput[name],
    uploadThroughput: throughput[name],
  });
  return { page, traffic };
}

const position = (page: Page) => page.evaluate(() => document.querySelector('audio[data-active]')?.currentTime ?? 0);

/** Polls `done` every 250 ms; throws `failure` after `timeoutMs`. */
async function until(done: () => boolean, timeoutMs: number, failure: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(failure);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * Plays the long track and waits, with no action on the page, until the edge refused a media
 * request (the token died mid-track), then until the player asked for a new playback URL (once
 * its buffer ran out, for hls.js) and played on well past where it resumed.
 */
async function playsPastTokenExpiry(page: Page, traffic: Traffic): Promise<void> {
  await page.getByRole('button', { name: `Play ${title}` }).click();
  await page.waitForFunction(() => (document.querySelector('audio[data-active]')?.currentTime ?? 0) > 1, null, {
    timeout: 30_000,
  });
  const started = Date.now();

  await until(() => traffic.refused > 0, (trackSeconds - 10) * 1000, 'the edge never refused a media request');
  const urlsBefore = traffic.playbackUrls;
  const afterDeath = await position(page);
  await until(() => traffic.playbackUrls > urlsBefore, 90_000, 'no new playback URL after the token died');
  const resumedAt = Math.max(afterDeath, await position(page));
  await page.waitForFunction(
    (from) => {
      const audio = document.querySelector('audio[data-active]');
      return audio !== null && !audio.paused && audio.currentTime > from + 5;
    },
    resumedAt,
    { timeout: 60_000 },
  );

  expect(Date.now() - started).toBeGreaterThan(tokenSeconds * 1000 - 5_000);
  expect(await page.locator('.player [role="alert"]').count()).toBe(0);
}

describe('player recovery from an expired media token in Chromium', () => {
  it('plays on past the token, natively and through hls.js, with no action by the listener', async () => {
    const [native, hlsJs] = await Promise.all([openSignedIn('native'), openSignedIn('hlsJs')]);

    await Promise.all(
      Object.entries({ native, hlsJs }).map(([name, { page, traffic }]) =>
        playsPastTokenExpiry(page, traffic).catch((error: unknown) => {
          // Which player failed, and what it had fetched: the media answers tell a stall from a refusal.
          throw new Error(`${name}: ${(error as Error).message}\n${traffic.log.slice(-30).join('\n')}`, {
            cause: error,
          });
        }),
      ),
    );
  }, 300_000);
});
