import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import type { ChildService } from '@tonearm/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, toneFlac, upload, type Listener } from '../../edge/test/support/listener.ts';
import { startPlatform, type Platform } from '../../edge/test/support/platform.ts';
import { launchChromium, startWeb } from './support/web-e2e.ts';

let platform: Platform;
let web: ChildService;
let context: BrowserContext;
let page: Page;
let profileDir: string;
let admin: Listener;
let listener: Listener;
let trackId: string;
/** Where the screenshots go: the same folder as the main browser test's. */
const screenshotDir = process.env.WEB_E2E_SCREENSHOTS ?? join(tmpdir(), 'tonearm-web-screenshots');

async function signIn(account: Listener): Promise<void> {
  await page.goto(`${platform.edgeUrl}/signin`);
  await page.getByLabel('Email').fill(account.email);
  await page.getByLabel('Password').fill(account.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

beforeAll(async () => {
  platform = await startPlatform({ readyTimeoutMs: 120_000 });
  admin = await signUp(platform); // the first account is an admin
  listener = await signUp(platform);
  web = await startWeb(platform, { readyTimeoutMs: 120_000 });
  await mkdir(screenshotDir, { recursive: true });
  profileDir = await mkdtemp(join(tmpdir(), 'tonearm-web-admin-e2e-'));
  context = await launchChromium(profileDir, { width: 1280, height: 1400 });
  page = context.pages()[0] ?? (await context.newPage());
}, 420_000);

afterAll(async () => {
  await context?.close();
  await web?.stop('SIGTERM');
  await platform?.stop();
  if (profileDir) await rm(profileDir, { recursive: true, force: true });
}, 60_000);

describe('admin page in Chromium through the edge', () => {
  it('shows an admin the Ops link, a live feed, the consumers and the services', async () => {
    await signIn(admin);
    await page.getByRole('link', { name: 'Ops' }).click();

    await page.getByRole('heading', { name: 'Operations' }).waitFor();
    await page
      .getByRole('status')
      .filter({ hasText: /^\s*live\s*$/ })
      .waitFor({ timeout: 15_000 });
    await page.getByRole('row', { name: /transcoder/ }).waitFor({ timeout: 15_000 });
    await page.getByRole('heading', { name: /^edge/ }).waitFor();
    await page.getByRole('heading', { name: /^Dead letters/ }).waitFor();
  });

  it("shows an upload's events in the live feed as they happen", async () => {
    trackId = await upload(platform, listener, 'feed-tone.flac', await toneFlac(3, 'Feed Tone'));
    await page.getByLabel('Text').fill(trackId);

    const uploaded = page.locator('.feed li', { hasText: 'ingest.upload.completed.v1' });
    const transcoded = page.locator('.feed li', { hasText: 'transcode.completed.v1' });
    await uploaded.first().waitFor({ timeout: 30_000 });
    await transcoded.first().waitFor({ timeout: 90_000 });

    expect(await uploaded.count()).toBe(1);
    expect(await transcoded.count()).toBe(1);
    await page.screenshot({ path: join(screenshotDir, 'admin.png'), fullPage: true });
  });

  it("opens the upload's journey through every service from the feed", async () => {
    await page.getByRole('link', { name: 'Journey of ingest.upload.completed.v1' }).first().click();

    await page.waitForURL(/\/admin\/journey\//);
    const steps = page.getByRole('list', { name: 'Events of the journey' }).locator('li');
    await steps.filter({ hasText: 'transcode.completed.v1' }).waitFor();
    const types = await steps.locator('.type').allTextContents();
    expect(types.indexOf('ingest.upload.completed.v1')).toBeGreaterThanOrEqual(0);
    expect(types.indexOf('ingest.upload.completed.v1')).toBeLessThan(types.indexOf('transcode.completed.v1'));
    expect(await steps.filter({ hasText: trackId }).count()).toBeGreaterThanOrEqual(2);
    await page.screenshot({ path: join(screenshotDir, 'admin-journey.png'), fullPage: true });
  });

  it('tells a listener the page is for admins only, with no Ops link', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await signIn(listener);

    expect(await page.getByRole('link', { name: 'Ops' }).count()).toBe(0);
    await page.goto(`${platform.edgeUrl}/admin`);
    await page
      .getByRole('alert')
      .filter({ hasText: /admins only/i })
      .waitFor();
  });
});
