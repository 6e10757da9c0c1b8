import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { BrowserContext, Page, Route } from 'playwright-core';
import type { ChildService } from '@tonearm/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, toneFlac, upload, type Listener } from '../../edge/test/support/listener.ts';
import { startPlatform, type Platform } from '../../edge/test/support/platform.ts';
import { launchChromium, startWeb, stopBrowserTest } from './support/web-e2e.ts';

/** Browser globals as the `page.evaluate` callbacks use them (the tests are typed without the DOM library). */
interface PageElement {
  getAttribute(name: string): string | null;
  closest(selector: string): PageElement | null;
}
declare const document: {
  activeElement: PageElement | null;
  scrollingElement: { scrollWidth: number; clientWidth: number } | null;
  querySelector(selector: string): { currentTime: number; paused: boolean } | null;
  querySelectorAll(selector: string): ArrayLike<{ getBoundingClientRect(): { right: number }; outerHTML: string }>;
};
declare const localStorage: { length: number; key(index: number): string | null };
declare class DataTransfer {
  items: { add(file: File): unknown };
}

const run = promisify(execFile);
const repositoryRoot = join(dirname(fileURLToPath(import.meta.url)), '../../..');
/** Where the screenshots go: gitignored, kept by CI as an artifact. */
const screenshotDir =
  process.env.WEB_E2E_SCREENSHOTS ?? join(repositoryRoot, 'test-artifacts/screenshots/upload-and-access');

let platform: Platform;
let web: ChildService;
let context: BrowserContext;
let page: Page;
let workDir: string;
let listener: Listener;
let files: { dropped: string; notes: string; cancelled: string };
/** `METHOD /path?query` of every API request the page made, in order. */
const apiCalls: string[] = [];
/** Paths of the covers asked for and their statuses. */
const coverAnswers: { path: string; status: number }[] = [];

/** A tone (the shared tagged one) retagged onto an album, with a generated image as its cover art. */
async function coveredTone(path: string, seconds: number, title: string) {
  const plain = join(workDir, 'plain.flac');
  const cover = join(workDir, 'cover.png');
  await writeFile(plain, await toneFlac(seconds, title));
  await run('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'color=c=0x3366cc:s=64x64', '-frames:v', '1', cover]);
  const tags = { artist: 'Drop Artist', album: 'Drop Album', track: '1' };
  const picture = ['-map', '1:v', '-c:v', 'png', '-disposition:v', 'attached_pic'];
  const retag = Object.entries(tags).flatMap(([name, value]) => ['-metadata', `${name}=${value}`]);
  await run('ffmpeg', [
    '-v',
    'error',
    '-i',
    plain,
    '-i',
    cover,
    '-map',
    '0:a',
    '-c:a',
    'copy',
    ...picture,
    ...retag,
    path,
  ]);
  return path;
}

/**
 * Loads a page signed in and waits until it has renewed the session. Each load spends the kept
 * refresh token; leaving before the new one is stored would leave a spent token, whose reuse ends
 * the session.
 */
async function openSignedIn(path: string) {
  await page.goto(`${platform.edgeUrl}${path}`);
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

const row = (name: string) => page.locator('.files .file', { hasText: name });

/** The aria-label of the focused element and whether it is in the player bar. */
const focused = () =>
  page.evaluate(() => {
    const element = document.activeElement;
    return { label: element?.getAttribute('aria-label') ?? null, inPlayer: element?.closest('.player') != null };
  });

/** Presses Tab until the focused element has `label` (in the player bar when `inPlayer`); the presses it took. */
async function tabTo(label: string, inPlayer: boolean, most = 80) {
  for (let presses = 1; presses <= most; presses += 1) {
    await page.keyboard.press('Tab');
    const now = await focused();
    if (now.label === label && now.inPlayer === inPlayer) return presses;
  }
  throw new Error(`Tab never reached "${label}"`);
}

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'tonearm-upload-access-'));
  await mkdir(screenshotDir, { recursive: true });
  const notes = join(workDir, 'liner notes.txt');
  await writeFile(notes, 'Liner notes, not music.\n');
  const dropped = await coveredTone(join(workDir, 'dropped tone.flac'), 6, 'Dropped Tone');
  const cancelled = join(workDir, 'cancelled tone.flac');
  await run('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'sine=frequency=300:duration=3', cancelled]);
  files = { dropped, notes, cancelled };

  platform = await startPlatform({ readyTimeoutMs: 120_000 });
  web = await startWeb(platform, { readyTimeoutMs: 120_000 });
  listener = await signUp(platform);
  context = await launchChromium(join(workDir, 'profile'), { width: 1200, height: 900 });
  page = context.pages()[0] ?? (await context.newPage());
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.origin === platform.edgeUrl && url.pathname.startsWith('/api/'))
      apiCalls.push(`${request.method()} ${url.pathname}${url.search}`);
  });
  page.on('response', (response) => {
    const url = new URL(response.url());
    if (url.pathname.endsWith('/cover')) coverAnswers.push({ path: url.pathname, status: response.status() });
  });

  await page.goto(`${platform.edgeUrl}/signin`);
  await page.getByLabel('Email').fill(listener.email);
  await page.getByLabel('Password').fill(listener.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}, 420_000);

afterAll(() => stopBrowserTest({ context, web, platform, dir: workDir }), 60_000);

describe('the upload page in Chromium', () => {
  it('takes files dropped onto it, leaving out what is not audio', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Upload', exact: true }).click();
    const zone = page.getByRole('region', { name: 'Drop zone' });
    await zone.waitFor();
    const dropped = {
      audio: (await readFile(files.dropped)).toString('base64'),
      text: (await readFile(files.notes)).toString('base64'),
    };
    // A DataTransfer built in the page holds File objects, as a drag from the desktop does.
    const dataTransfer = await page.evaluateHandle(({ audio, text }) => {
      const transfer = new DataTransfer();
      const bytes = (base64: string) => Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
      transfer.items.add(new File([bytes(audio)], 'dropped tone.flac', { type: 'audio/flac' }));
      transfer.items.add(new File([bytes(text)], 'liner notes.txt', { type: 'text/plain' }));
      return transfer;
    }, dropped);

    await zone.dispatchEvent('dragenter', { dataTransfer });
    await zone.dispatchEvent('dragover', { dataTransfer });
    expect(await zone.getAttribute('class')).toContain('dragging');
    await zone.dispatchEvent('drop', { dataTransfer });

    await page
      .getByRole('status')
      .filter({ hasText: '1 file added; 1 left out because they are not audio.' })
      .waitFor();
    expect(await zone.getAttribute('class')).not.toContain('dragging');
    await row('dropped tone.flac').waitFor();
    expect(await page.locator('.files .file').count()).toBe(1);
    await row('Dropped Tone').and(page.locator('[data-phase="ready"]')).waitFor({ timeout: 120_000 });
    await page.screenshot({ path: join(screenshotDir, '01-dropped-ready.png') });
  }, 180_000);

  it('cancels an upload in flight: the session is aborted and no track is left', async () => {
    const held: Route[] = [];
    const isPart = (url: URL) => url.searchParams.has('partNumber');
    // The storage takes no part until the test lets it, so the upload is surely in flight.
    await page.route(isPart, (route) => void held.push(route));
    try {
      const created = page.waitForResponse(
        (response) => new URL(response.url()).pathname === '/api/uploads' && response.request().method() === 'POST',
      );

      await page.getByLabel('Audio files', { exact: true }).setInputFiles([files.cancelled]);

      const { uploadId, trackId } = (await (await created).json()) as { uploadId: string; trackId: string };
      await row('cancelled tone.flac').and(page.locator('[data-phase="uploading"]')).waitFor();
      await expect.poll(() => held.length).toBeGreaterThan(0);
      await page.getByRole('button', { name: 'Cancel cancelled tone.flac' }).click();

      await row('cancelled tone.flac').and(page.locator('[data-phase="cancelled"]')).waitFor();
      await page.screenshot({ path: join(screenshotDir, '02-cancelled.png') });
      const token = listener.accessToken;
      await expect
        .poll(async () => (await platform.request('GET', `/api/uploads/${uploadId}`, { token })).body)
        .toMatchObject({ status: 'aborted', parts: [] });
      expect((await platform.request('GET', `/api/tracks/${trackId}`, { token })).status).toBe(404);
      const mine = await platform.request('GET', '/api/tracks?mine=true', { token });
      expect((mine.body as { items: { id: string }[] }).items.map((track) => track.id)).not.toContain(trackId);
      const kept = await page.evaluate(() =>
        Array.from({ length: localStorage.length }, (_, index) => localStorage.key(index)),
      );
      expect(kept.filter((key) => key?.startsWith('tonearm.upload.'))).toEqual([]);
    } finally {
      await page.unroute(isPart);
      await Promise.all(held.map((route) => route.abort().catch(() => undefined)));
    }
  }, 120_000);
});

describe('My uploads in Chromium', () => {
  it('shows a new upload and its way to ready as the edge pushes it, without a reload', async () => {
    let navigations = 0;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My uploads', exact: true }).click();
    await page.locator('.mine li', { hasText: 'Dropped Tone' }).waitFor();
    await page.getByText('Live', { exact: true }).waitFor();
    page.on('framenavigated', () => (navigations += 1));
    const callsBefore = apiCalls.length;

    // Uploaded elsewhere (the API, as the CLI does) while the page is open.
    const trackId = await upload(platform, listener, 'live tone.flac', await toneFlac(5, 'Live Tone'));

    const live = page.locator(`.mine li`, { hasText: 'Live Tone' });
    await live.waitFor({ timeout: 60_000 });
    await live.and(page.locator('[data-status="ready"]')).waitFor({ timeout: 120_000 });
    await page.screenshot({ path: join(screenshotDir, '03-my-uploads-live.png') });
    expect(navigations).toBe(0);
    const calls = apiCalls.slice(callsBefore);
    // Pushed, not polled: the list is never asked for again, the new track at most a few times.
    expect(calls.filter((call) => call.startsWith('GET /api/tracks?'))).toEqual([]);
    expect(calls.filter((call) => call === `GET /api/tracks/${trackId}`).length).toBeLessThanOrEqual(2);
    expect(calls.filter((call) => call === 'GET /api/uploads/events')).toEqual([]);
  }, 180_000);
});

describe('covers', () => {
  it('asks only for the covers that exist', async () => {
    await openSignedIn('/');
    await page.locator('.tracks li', { hasText: 'Live Tone' }).waitFor();

    await page.locator('.tracks li', { hasText: 'Dropped Tone' }).locator('.cover img').waitFor();
    expect(await page.locator('.tracks li', { hasText: 'Live Tone' }).locator('.cover img').count()).toBe(0);
    await expect.poll(() => coverAnswers.some((answer) => answer.status === 200)).toBe(true);
    expect(coverAnswers.filter((answer) => answer.status === 404)).toEqual([]);
  });
});

describe('keyboard only', () => {
  it('reaches a track and the player controls with Tab, and plays and pauses with Enter and Space', async () => {
    await openSignedIn('/');
    await page.getByRole('heading', { name: 'Recent tracks' }).waitFor();
    const audio = () =>
      page.evaluate(() => {
        const element = document.querySelector('audio[data-active]') ?? document.querySelector('audio');
        return { paused: element?.paused ?? true, time: element?.currentTime ?? 0 };
      });

    await tabTo('Play Dropped Tone', false);
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await audio()).time, { timeout: 30_000 }).toBeGreaterThan(1);

    await tabTo('Pause', true);
    await page.screenshot({ path: join(screenshotDir, '04-keyboard-player.png') });
    await page.keyboard.press('Space');
    await expect.poll(async () => (await audio()).paused).toBe(true);
    // Focus stays on the same button, now offering to play.
    await expect.poll(async () => (await focused()).label).toBe('Play');
    const pausedAt = (await audio()).time;

    await page.keyboard.press('Enter');
    await expect.poll(async () => (await audio()).time, { timeout: 15_000 }).toBeGreaterThan(pausedAt + 0.5);
    await page.keyboard.press('Space');
    await expect.poll(async () => (await audio()).paused).toBe(true);
  }, 90_000);
});

describe('360 px wide', () => {
  /** The page's width beyond the viewport, and the elements that reach past it. */
  const overflow = () =>
    page.evaluate(() => {
      const scrollWidth = document.scrollingElement?.scrollWidth ?? 0;
      const wide = Array.from(document.querySelectorAll('body *'))
        .filter((element) => element.getBoundingClientRect().right > 360.5)
        .map((element) => element.outerHTML.slice(0, 120));
      return { scrollWidth, wide: wide.slice(0, 5) };
    });

  it('shows every main page without horizontal scrolling', async () => {
    await page.setViewportSize({ width: 360, height: 740 });
    const mine = await platform.request('GET', '/api/tracks?mine=true', { token: listener.accessToken });
    const dropped = (
      mine.body as { items: { title: string; album: { id: string }; artist: { id: string } }[] }
    ).items.find((track) => track.title === 'Dropped Tone')!;
    // Each page with what shows once its data is in.
    const pages: [string, string, string][] = [
      ['home', '/', '.tracks li'],
      ['search', '/search', 'main input'],
      ['upload', '/upload', '.zone'],
      ['uploads', '/uploads', '.mine li'],
      ['album', `/albums/${dropped.album.id}`, '.tracks li'],
      ['artist', `/artists/${dropped.artist.id}`, '.tracks li'],
    ];
    const found: Record<string, { scrollWidth: number; wide: string[] }> = {};
    for (const [name, path, shown] of pages) {
      await openSignedIn(path);
      await page.locator(shown).first().waitFor();
      if (name === 'search') {
        await page.getByLabel('Search tracks, albums and artists').fill('tone');
        await page.locator('.tracks li').first().waitFor();
      }
      found[name] = await overflow();
      await page.screenshot({ path: join(screenshotDir, `05-narrow-${name}.png`), fullPage: true });
    }
    await page.getByRole('button', { name: 'Sign out' }).click();
    for (const [name, path] of [
      ['signin', '/signin'],
      ['signup', '/signup'],
    ] as const) {
      await page.goto(`${platform.edgeUrl}${path}`);
      await page.locator('main h1').first().waitFor();
      found[name] = await overflow();
      await page.screenshot({ path: join(screenshotDir, `05-narrow-${name}.png`), fullPage: true });
    }

    for (const [name, { scrollWidth, wide }] of Object.entries(found)) {
      expect(scrollWidth, `${name} is ${scrollWidth} px wide: ${wide.join(' | ')}`).toBeLessThanOrEqual(360);
    }
  }, 120_000);
});
