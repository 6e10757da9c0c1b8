import { rm } from 'node:fs/promises';
import { chromium, type BrowserContext } from 'playwright-core';
import { startChildService, type ChildService } from '@tonearm/testing';
import type { Platform } from '../../../edge/test/support/platform.ts';

/** Waits until the edge has found the web instance on the bus and proxies pages to it. */
export async function waitForPages(edgeUrl: string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const response = await fetch(`${edgeUrl}/signin`).catch(() => null);
    if (response?.status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the edge never served the web pages');
}

/**
 * Starts the built web app on the platform's bus namespace and answers once the edge serves its
 * pages.
 *
 * @example
 * const web = await startWeb(platform);
 */
export async function startWeb(platform: Platform, options: { readyTimeoutMs?: number } = {}): Promise<ChildService> {
  const web = await startChildService({
    app: 'web',
    env: { BUS_NAMESPACE: platform.bus.topology.namespace, WEB_PORT: '0', LOG_LEVEL: 'warn' },
    readyTimeoutMs: options.readyTimeoutMs,
  });
  await waitForPages(platform.edgeUrl);
  return web;
}

/**
 * Debian's Chromium, headless, with a profile of its own in `profileDir` and media allowed to play
 * without a gesture.
 *
 * @example
 * const context = await launchChromium(profileDir, { width: 1200, height: 900 });
 */
export function launchChromium(
  profileDir: string,
  viewport?: { width: number; height: number },
): Promise<BrowserContext> {
  return chromium.launchPersistentContext(profileDir, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    ...(viewport ? { viewport } : {}),
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
}

/**
 * Ends a browser test: closes Chromium, stops the web app and the platform, and removes the
 * test's working folder; each part may be missing when the start-up failed half-way.
 *
 * @example
 * afterAll(() => stopBrowserTest({ context, web, platform, dir: workDir }), 60_000);
 */
export async function stopBrowserTest(parts: {
  context?: BrowserContext | undefined;
  web?: ChildService | undefined;
  platform?: Platform | undefined;
  dir?: string | undefined;
}): Promise<void> {
  await parts.context?.close();
  await parts.web?.stop('SIGTERM');
  await parts.platform?.stop();
  if (parts.dir) await rm(parts.dir, { recursive: true, force: true });
}

/**
 * Makes every page of `context` start signed in with `refreshToken` (a session of its own); with
 * `hideNativeHls` the pages are told the browser has no native HLS (`canPlayType` answers '' for
 * it), as in Firefox or a Chromium before native HLS, so the app plays through hls.js.
 *
 * @example
 * await signInPages(context, login.body.refreshToken, { hideNativeHls: true });
 */
export async function signInPages(
  context: BrowserContext,
  refreshToken: string,
  options: { hideNativeHls?: boolean } = {},
): Promise<void> {
  await context.addInitScript(
    ({ token, hideNativeHls }) => {
      const scope = globalThis as unknown as {
        localStorage: { setItem(key: string, value: string): void };
        HTMLMediaElement: { prototype: { canPlayType(type: string): string } };
      };
      scope.localStorage.setItem('tonearm.refreshToken', token);
      if (!hideNativeHls) return;
      const { canPlayType } = scope.HTMLMediaElement.prototype;
      scope.HTMLMediaElement.prototype.canPlayType = function (type: string) {
        return /mpegurl/i.test(type) ? '' : canPlayType.call(this, type);
      };
    },
    { token: refreshToken, hideNativeHls: options.hideNativeHls ?? false },
  );
}
