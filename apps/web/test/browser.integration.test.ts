import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { startChildService, type ChildService } from '@tonearm/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type Platform } from '../../edge/test/support/platform.ts';

let platform: Platform;
let web: ChildService;
let context: BrowserContext;
let page: Page;
let profileDir: string;
const email = `listener-${Date.now()}@example.org`;
const password = 'correct horse battery';

/** Waits until the edge has found the web instance on the bus and proxies pages to it. */
async function waitForPages(edgeUrl: string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const response = await fetch(`${edgeUrl}/signin`).catch(() => null);
    if (response?.status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the edge never served the web pages');
}

beforeAll(async () => {
  platform = await startPlatform();
  web = await startChildService({
    app: 'web',
    env: { BUS_NAMESPACE: platform.bus.topology.namespace, WEB_PORT: '0', LOG_LEVEL: 'warn' },
  });
  await waitForPages(platform.edgeUrl);
  profileDir = await mkdtemp(join(tmpdir(), 'tonearm-web-e2e-'));
  context = await chromium.launchPersistentContext(profileDir, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--autoplay-policy=no-user-gesture-required',
    ],
  });
  page = context.pages()[0] ?? (await context.newPage());
}, 180_000);

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

    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/');
    await expect(page.getByText('Ada Listener').isVisible()).resolves.toBe(true);
    await page.getByRole('heading', { name: 'Your library is empty' }).waitFor();
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

    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/');
  });
});
