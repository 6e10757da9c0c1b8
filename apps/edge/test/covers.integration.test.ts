import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, upload, waitUntilReady, type Listener } from './support/listener.ts';
import { startPlatform, type Platform } from './support/platform.ts';

const run = promisify(execFile);

let platform: Platform;
let owner: Listener;
let cover: Buffer;
let covered: { id: string; album: { id: string } };
let bare: { id: string; album: { id: string } };

/** A FLAC tone tagged with `album`, with a PNG made by ffmpeg embedded as its cover when `png` is given. */
async function taggedFlac(title: string, album: string, png?: string): Promise<Buffer> {
  const dir = await mkdtemp(join(tmpdir(), 'edge-cover-'));
  try {
    const file = join(dir, 'tone.flac');
    const picture = png
      ? ['-i', png, '-map', '0:a', '-map', '1:v', '-c:v', 'copy', '-disposition:v', 'attached_pic']
      : [];
    await run('ffmpeg', [
      ...['-v', 'error', '-f', 'lavfi', '-i', 'sine=frequency=330:sample_rate=44100:duration=2'],
      ...picture,
      ...['-metadata', `title=${title}`, '-metadata', `album=${album}`, '-metadata', 'artist=Cover Test Artist'],
      file,
    ]);
    return await readFile(file);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function raw(path: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${platform.edgeUrl}${path}`, { headers });
  return { status: response.status, headers: response.headers, body: Buffer.from(await response.arrayBuffer()) };
}

beforeAll(async () => {
  platform = await startPlatform({ readyTimeoutMs: 120_000 });
  owner = await signUp(platform);
  const dir = await mkdtemp(join(tmpdir(), 'edge-cover-png-'));
  try {
    const png = join(dir, 'cover.png');
    await run('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'color=c=0x3366cc:s=64x64', '-frames:v', '1', png]);
    cover = await readFile(png);
    const [coveredId, bareId] = await Promise.all([
      upload(platform, owner, 'covered.flac', await taggedFlac('Covered Song', 'Covered Album', png)),
      upload(platform, owner, 'bare.flac', await taggedFlac('Bare Song', 'Bare Album')),
    ]);
    [covered, bare] = await Promise.all([
      waitUntilReady(platform, owner, coveredId),
      waitUntilReady(platform, owner, bareId),
    ]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}, 400_000);

afterAll(() => platform?.stop());

describe('GET /api/tracks/:id/cover', () => {
  it('answers the embedded picture with its stored type, an ETag and caching, to anyone who may see the track', async () => {
    const answer = await raw(`/api/tracks/${covered.id}/cover`);

    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('image/png');
    expect(answer.body.equals(cover)).toBe(true);
    expect(answer.headers.get('etag')).toMatch(/\S/);
    expect(answer.headers.get('cache-control')).toContain('max-age=');
  });

  it('answers 304 to a matching If-None-Match', async () => {
    const first = await raw(`/api/tracks/${covered.id}/cover`);
    const again = await raw(`/api/tracks/${covered.id}/cover`, { 'if-none-match': first.headers.get('etag')! });

    expect(again.status).toBe(304);
    expect(again.body.byteLength).toBe(0);
  });

  it('answers 404 for a track without cover art and for an unknown track', async () => {
    const none = await platform.request('GET', `/api/tracks/${bare.id}/cover`);
    const unknown = await platform.request('GET', '/api/tracks/00000000-0000-4000-8000-000000000000/cover');

    expect(none.status).toBe(404);
    expect(none.body.error.code).toBe('not_found');
    expect(unknown.status).toBe(404);
  });

  it('refuses a bad token like every catalog read', async () => {
    const answer = await platform.request('GET', `/api/tracks/${covered.id}/cover`, { token: 'not-a-token' });
    expect(answer.status).toBe(401);
  });
});

describe('GET /api/albums/:id/cover', () => {
  it("answers the cover of the album's tracks", async () => {
    const answer = await raw(`/api/albums/${covered.album.id}/cover`);

    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('image/png');
    expect(answer.body.equals(cover)).toBe(true);
  });

  it('answers 404 for an album without one', async () => {
    const answer = await platform.request('GET', `/api/albums/${bare.album.id}/cover`);
    expect(answer.status).toBe(404);
  });
});
