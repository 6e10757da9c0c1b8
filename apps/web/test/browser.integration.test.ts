import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import type { ChildService } from '@tonearm/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, toneFlac, upload, waitUntilReady } from '../../edge/test/support/listener.ts';
import { startPlatform, type Platform } from '../../edge/test/support/platform.ts';
import { launchChromium, startWeb } from './support/web-e2e.ts';

/** Browser globals as the `page.evaluate` callbacks use them (the tests are typed without the DOM library). */
declare const document: { querySelector(selector: string): { currentTime: number; duration: number } | null };
declare const localStorage: { length: number };

let platform: Platform;
let web: ChildService;
let context: BrowserContext;
let page: Page;
let profileDir: string;
const masterUrls: string[] = [];
/** Where the screenshots of the main pages go (a CI job can keep this folder as an artifact). */
const screenshotDir = process.env.WEB_E2E_SCREENSHOTS ?? join(tmpdir(), 'tonearm-web-screenshots');
const email = `listener-${Date.now()}@example.org`;
const password = 'correct horse battery';

beforeAll(async () => {
  platform = await startPlatform({ readyTimeoutMs: 120_000 });
  web = await startWeb(platform);
  await mkdir(screenshotDir, { recursive: true });
  profileDir = await mkdtemp(join(tmpdir(), 'tonearm-web-e2e-'));
  context = await launchChromium(profileDir);
  page = context.pages()[0] ?? (await context.newPage());
  page.on('request', (request) => {
    if (new URL(request.url()).pathname.endsWith('/master.m3u8')) masterUrls.push(request.url());
  });
}, 400_000);

afterAll(async () => {
  await context?.close();
  await web?.stop('SIGTERM');
  await platform?.stop();
  if (profileDir) await rm(profileDir, { recursive: true, force: true });
}, 60_000);

describe('web app in Chromium through the edge', () => {
  it('signs up, lands signed in on an empty library that says to upload a first track', async () => {
    await page.goto(`${platform.edgeUrl}/signup`);
    await page.getByLabel('Name').fill('Ada Listener');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign up' }).click();

    await page.waitForURL(`${platform.edgeUrl}/`);
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    await expect(page.getByText('Ada Listener').isVisible()).resolves.toBe(true);
    await page.getByRole('heading', { name: 'Your library is empty' }).waitFor();
    await page.screenshot({ path: join(screenshotDir, 'home-empty.png') });
    await expect(page.getByText(/upload your first track/i).isVisible()).resolves.toBe(true);
  });

  it('keeps the session across a reload through the stored refresh token', async () => {
    await page.reload();

    await page.getByRole('button', { name: 'Sign out' }).waitFor();
  });

  it('shows the API message when signing up again with the same email', async () => {
    await page.goto(`${platform.edgeUrl}/signup`);
    await page.getByLabel('Name').fill('Someone Else');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign up' }).click();

    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/\S/);
    expect(new URL(page.url()).pathname).toBe('/signup');
  });

  it('signs out and then no longer has a session on reload', async () => {
    await page.goto(`${platform.edgeUrl}/`);
    await page.getByRole('button', { name: 'Sign out' }).click();

    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.reload();
    await page.getByRole('link', { name: 'Sign up' }).waitFor();
    expect(await page.evaluate(() => localStorage.length)).toBe(0);
  });

  it('refuses a wrong password with the API message and signs in with the right one', async () => {
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('wrong password!');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).toMatch(/\S/);

    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();

    await page.waitForURL(`${platform.edgeUrl}/`);
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
  });
});

describe('player in Chromium through the edge', () => {
  let titles: string[];

  beforeAll(async () => {
    const owner = await signUp(platform);
    const [first, second] = await Promise.all([toneFlac(9, 'First Tone'), toneFlac(5, 'Second Tone')]);
    const ids = [
      await upload(platform, owner, 'first.flac', first),
      await upload(platform, owner, 'second.flac', second),
    ];
    await Promise.all(ids.map((id) => waitUntilReady(platform, owner, id)));
  }, 120_000);

  it('lists the ready tracks on the home page', async () => {
    await page.goto(`${platform.edgeUrl}/`);
    await page.getByRole('heading', { name: 'Recent tracks' }).waitFor();

    titles = await page.locator('.tracks .name').allTextContents();

    expect([...titles].sort()).toEqual(['First Tone', 'Second Tone']);
  });

  it('plays the first track past three seconds', async () => {
    await page.getByRole('button', { name: `Play ${titles[0]}` }).click();

    await page.waitForFunction(() => (document.querySelector('audio[data-active]')?.currentTime ?? 0) > 3, null, {
      timeout: 30_000,
    });
    expect(await page.locator('.player .now strong').textContent()).toBe(titles[0]);
    await page.screenshot({ path: join(screenshotDir, 'home-playing.png') });
  });

  it('moves to the next track of the queue', async () => {
    await page.getByRole('button', { name: 'Next track' }).click();

    await page.getByText(titles[1]!, { exact: true }).and(page.locator('.player .now strong')).waitFor();
    // The new source starts from zero: seen below one second, then playing on.
    await page.waitForFunction(() => (document.querySelector('audio[data-active]')?.currentTime ?? 9) < 1, null, {
      timeout: 30_000,
    });
    await page.waitForFunction(() => (document.querySelector('audio[data-active]')?.currentTime ?? 0) > 0.5, null, {
      timeout: 30_000,
    });
  });

  it('seeks the second track near its end with the seek bar and plays on from there', async () => {
    await page.getByRole('button', { name: 'Pause' }).click();
    const duration = await page.evaluate(() => document.querySelector('audio[data-active]')!.duration);

    // The waveform seek bar (a slider drawn from the peaks): click where the target time is.
    const slider = page.locator('.player div[role="slider"][aria-label="Seek"]');
    await slider.waitFor();
    const box = (await slider.boundingBox())!;
    await slider.click({ position: { x: (box.width * (duration - 1.5)) / duration, y: box.height / 2 } });

    const position = await page.evaluate(() => document.querySelector('audio[data-active]')!.currentTime);
    expect(position).toBeGreaterThan(duration - 1.6);
    expect(position).toBeLessThan(duration - 1.4);
    await page.getByRole('button', { name: 'Play', exact: true }).click();
    await page.waitForFunction(
      (from) => document.querySelector('audio[data-active]')!.currentTime > from + 0.3,
      position,
      {
        timeout: 15_000,
      },
    );
  });

  it('finds a track as you type, without submitting', async () => {
    await page.getByRole('link', { name: 'Search' }).click();
    await page.getByLabel('Search tracks, albums and artists').pressSequentially('second');

    await page.locator('.tracks .name', { hasText: 'Second Tone' }).waitFor();
    await page.screenshot({ path: join(screenshotDir, 'search.png') });
  });

  it("opens the artist page with the artist's tracks", async () => {
    await page.getByRole('link', { name: 'Edge Test Artist' }).first().click();

    await page.getByRole('heading', { name: 'Edge Test Artist' }).waitFor();
    expect((await page.locator('.tracks .name').allTextContents()).sort()).toEqual(['First Tone', 'Second Tone']);
    await page.screenshot({ path: join(screenshotDir, 'artist.png') });
  });

  it('stops the player on sign out, and the media URL is refused from then on', async () => {
    const masterUrl = masterUrls.at(-1)!;
    expect((await fetch(masterUrl)).status).toBe(200);

    await page.getByRole('button', { name: 'Sign out' }).click();

    await page.getByText('Nothing playing').waitFor();
    let status = 200;
    for (let attempt = 0; attempt < 50 && status === 200; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      status = (await fetch(masterUrl)).status;
    }
    expect(status).toBe(401);
  });
});
