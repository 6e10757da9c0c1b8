import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { BrowserContext, Page } from 'playwright-core';
import type { ChildService } from '@tonearm/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type Platform } from '../../edge/test/support/platform.ts';
import { launchChromium, startWeb } from './support/web-e2e.ts';

/** Browser globals as the `page.evaluate` callbacks use them (the tests are typed without the DOM library). */
declare const document: { querySelector(selector: string): { currentTime: number; duration: number } | null };
declare const localStorage: { setItem(key: string, value: string): void };

const run = promisify(execFile);
const repositoryRoot = join(dirname(fileURLToPath(import.meta.url)), '../../..');
/** Where the screenshots of the main pages go: gitignored, kept by CI as an artifact. */
const screenshotDir = process.env.WEB_E2E_SCREENSHOTS ?? join(repositoryRoot, 'test-artifacts/screenshots/journey');
const email = `journey-${Date.now()}@example.org`;
const password = 'correct horse battery staple';

let platform: Platform;
let web: ChildService;
let context: BrowserContext;
let page: Page;
let workDir: string;
let files: { first: string; second: string; notAudio: string; long: string };
const masterUrls: string[] = [];
const apiCalls: string[] = [];
const partPuts: string[] = [];

/** A tagged sine tone made by ffmpeg (the format from the extension). */
async function tone(path: string, seconds: number, frequency: number, title: string, trackNumber: number) {
  const tags = { title, artist: 'Journey Artist', album: 'Journey Album', track: String(trackNumber) };
  const source = `sine=frequency=${frequency}:sample_rate=44100:duration=${seconds}`;
  const metadata = Object.entries(tags).flatMap(([name, value]) => ['-metadata', `${name}=${value}`]);
  await run('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', source, '-ac', '2', ...metadata, path]);
  return path;
}

const row = (name: string) => page.locator('.files .file', { hasText: name });

async function phaseOf(name: string, phase: string, timeout = 120_000) {
  await row(name)
    .and(page.locator(`[data-phase="${phase}"]`))
    .waitFor({ timeout });
}

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'tonearm-journey-'));
  await mkdir(screenshotDir, { recursive: true });
  const notAudio = join(workDir, 'not a song.mp3');
  await writeFile(notAudio, 'These are liner notes, not music.\n'.repeat(200));
  const [first, second, long] = await Promise.all([
    tone(join(workDir, 'journey one.flac'), 20, 440, 'Journey One', 1),
    tone(join(workDir, 'journey two.flac'), 8, 660, 'Journey Two', 2),
    // Over one 5 MiB part as WAV, so a resumed upload has a part left to send.
    tone(join(workDir, 'journey long.wav'), 40, 330, 'Journey Long', 3),
  ]);
  files = { first, second, notAudio, long };

  platform = await startPlatform({ readyTimeoutMs: 120_000 });
  web = await startWeb(platform, { readyTimeoutMs: 120_000 });
  context = await launchChromium(join(workDir, 'profile'), { width: 1200, height: 900 });
  page = context.pages()[0] ?? (await context.newPage());
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.pathname.endsWith('/master.m3u8')) masterUrls.push(request.url());
    if (url.origin === platform.edgeUrl && url.pathname.startsWith('/api/'))
      apiCalls.push(`${request.method()} ${url.pathname}`);
    if (request.method() === 'PUT' && url.searchParams.has('partNumber'))
      partPuts.push(url.searchParams.get('partNumber')!);
  });
}, 420_000);

afterAll(async () => {
  await context?.close();
  await web?.stop('SIGTERM');
  await platform?.stop();
  if (workDir) await rm(workDir, { recursive: true, force: true });
}, 60_000);

describe("a listener's journey in Chromium, from sign-up to playing their own upload", () => {
  it('signs up and lands on an empty library that points to the upload page', async () => {
    await page.goto(`${platform.edgeUrl}/signup`);
    await page.getByLabel('Name').fill('Jo Journey');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign up' }).click();

    await page.getByRole('heading', { name: 'Your library is empty' }).waitFor();
    await page.screenshot({ path: join(screenshotDir, '01-home-empty.png') });
  });

  it('uploads two files through the page and shows each one ready, pushed by the edge', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Upload', exact: true }).click();
    await page.getByRole('heading', { name: 'Upload music' }).waitFor();
    const callsBefore = apiCalls.length;

    await page.getByLabel('Audio files', { exact: true }).setInputFiles([files.first, files.second]);

    await row('journey one.flac').waitFor();
    await page.screenshot({ path: join(screenshotDir, '02-upload-progress.png') });
    await phaseOf('Journey One', 'ready');
    await phaseOf('Journey Two', 'ready');
    await page.getByText('Live', { exact: true }).waitFor();
    await page.screenshot({ path: join(screenshotDir, '03-upload-ready.png') });
    const calls = apiCalls.slice(callsBefore);
    // Statuses arrive on the one event stream: the page never asks for a track's status.
    expect(calls.filter((call) => call.startsWith('GET /api/tracks'))).toEqual([]);
    expect(calls.filter((call) => call === 'GET /api/uploads/events').length).toBeLessThanOrEqual(1);
    expect(calls.filter((call) => call === 'POST /api/uploads')).toHaveLength(2);
  }, 240_000);

  it('says a file already in the library is a duplicate instead of uploading it again', async () => {
    const putsBefore = partPuts.length;

    await page.getByLabel('Audio files', { exact: true }).setInputFiles([files.second]);

    await page.locator('.files .file[data-phase="duplicate"]').waitFor();
    expect(await page.locator('.files .file[data-phase="duplicate"]').textContent()).toContain(
      'already in your library',
    );
    expect(partPuts.length).toBe(putsBefore);
  });

  it('shows a text file named .mp3 as failed with the reason', async () => {
    await page.getByLabel('Audio files', { exact: true }).setInputFiles([files.notAudio]);

    await phaseOf('not a song.mp3', 'failed');
    expect(await row('not a song.mp3').locator('.reason').textContent()).toMatch(/\S/);
  }, 180_000);

  it('resumes an interrupted upload after a reload, sending only the parts still missing', async () => {
    // A whole second as the modification time, so the page's File.lastModified is exactly it.
    await utimes(files.long, 1_700_000_000, 1_700_000_000);
    const { size, mtimeMs } = await stat(files.long);
    // Another session of the same account opens the upload and sends part 1, as a page did before the reload.
    const login = await platform.request('POST', '/api/auth/login', { body: { email, password } });
    const token = login.body.accessToken as string;
    const bytes = await readFile(files.long);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const created = await platform.request('POST', '/api/uploads', {
      token,
      body: { filename: 'journey long.wav', size, contentType: 'audio/wav', sha256 },
    });
    expect(created.status).toBe(201);
    const { uploadId, trackId, partSize, parts } = created.body as {
      uploadId: string;
      trackId: string;
      partSize: number;
      parts: { partNumber: number; url: string }[];
    };
    expect(parts.length).toBeGreaterThan(1);
    expect((await fetch(parts[0]!.url, { method: 'PUT', body: bytes.subarray(0, partSize) })).ok).toBe(true);
    const key = `tonearm.upload.journey long.wav:${size}:${mtimeMs}`;
    await page.evaluate(
      ([name, value]) => localStorage.setItem(name!, value!),
      [key, JSON.stringify({ uploadId, trackId, partSize, sha256, savedAt: Date.now() })],
    );
    await page.reload();
    const putsBefore = partPuts.length;

    await page.getByLabel('Audio files', { exact: true }).setInputFiles([files.long]);

    await phaseOf('Journey Long', 'ready');
    expect(await row('Journey Long').textContent()).toContain('resumed');
    expect(partPuts.slice(putsBefore).sort()).toEqual(
      parts
        .slice(1)
        .map((part) => String(part.partNumber))
        .sort(),
    );
  }, 240_000);

  it('lists my uploads with the failed one and its reason', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My uploads', exact: true }).click();
    await page.getByRole('heading', { name: 'My uploads' }).waitFor();

    await page.locator('.mine li', { hasText: 'Journey One' }).waitFor();
    const failed = page.locator('.mine li[data-status="failed"]');
    await failed.waitFor();
    expect(await failed.locator('.reason').textContent()).toMatch(/^Failed: \S/);
    expect(await page.locator('.mine li').count()).toBe(4);
    await page.screenshot({ path: join(screenshotDir, '04-my-uploads.png') });

    await page.getByRole('button', { name: 'Failed', exact: true }).click();
    await page.locator('.mine li').first().waitFor();
    expect(await page.locator('.mine li').count()).toBe(1);
  });

  it('deletes the failed upload after asking to confirm', async () => {
    const failedTitle = (await page.locator('.mine li[data-status="failed"] .name').textContent())!;
    await page.getByRole('button', { name: `Delete ${failedTitle}` }).click();
    await page.getByRole('button', { name: 'Yes, delete' }).click();

    await page.getByRole('heading', { name: 'No failed uploads' }).waitFor();
    await page.getByRole('button', { name: 'All', exact: true }).click();
    await page.locator('.mine li', { hasText: 'Journey One' }).waitFor();
    expect(await page.locator('.mine li').count()).toBe(3);
  });

  it('opens the album and plays the first upload past three seconds', async () => {
    await page.locator('.mine li', { hasText: 'Journey One' }).getByRole('link', { name: 'Journey Album' }).click();
    await page.getByRole('heading', { name: 'Journey Album' }).waitFor();
    await page.screenshot({ path: join(screenshotDir, '05-album.png') });

    await page.getByRole('button', { name: 'Play Journey One' }).click();

    await page.waitForFunction(
      () => ((document.querySelector('audio[data-active]') ?? document.querySelector('audio'))?.currentTime ?? 0) > 3,
      null,
      {
        timeout: 30_000,
      },
    );
    await page.screenshot({ path: join(screenshotDir, '06-player.png') });
  }, 120_000);

  it('seeks near the end and plays on from there', async () => {
    const duration = await page.evaluate(
      () => (document.querySelector('audio[data-active]') ?? document.querySelector('audio'))!.duration,
    );
    expect(duration).toBeGreaterThan(19);

    const seek = page.locator('.player [aria-label="Seek"]').first();
    await seek.waitFor();
    if ((await seek.evaluate((element) => element.tagName)) === 'INPUT') await seek.fill(String(duration - 4));
    else {
      // The waveform seek bar: a click where the target time is.
      const box = (await seek.boundingBox())!;
      await seek.click({ position: { x: (box.width * (duration - 4)) / duration, y: box.height / 2 } });
    }

    await page.waitForFunction(
      (from) => {
        const audio = (document.querySelector('audio[data-active]') ?? document.querySelector('audio'))!;
        return audio.currentTime > from && audio.currentTime < from + 4;
      },
      duration - 3.9,
      { timeout: 15_000 },
    );
  });

  it('moves on to the next track of the queue', async () => {
    await page.getByRole('button', { name: 'Next track' }).click();

    await page.locator('.player').getByText('Journey Two').first().waitFor();
    await page.waitForFunction(
      () => {
        const audio = document.querySelector('audio[data-active]') ?? document.querySelector('audio');
        return audio !== null && audio.currentTime > 0.5 && audio.duration < 10;
      },
      null,
      { timeout: 30_000 },
    );
  }, 120_000);

  it('signs out, and the media URL it played is refused from then on', async () => {
    const masterUrl = masterUrls.at(-1)!;
    expect((await fetch(masterUrl)).status).toBe(200);

    await page.getByRole('button', { name: 'Sign out' }).click();

    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    let status = 200;
    for (let attempt = 0; attempt < 50 && status === 200; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      status = (await fetch(masterUrl)).status;
    }
    expect(status).toBe(401);
  });
});
