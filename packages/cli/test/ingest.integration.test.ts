import { copyFile, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type Platform } from '../../../apps/edge/test/support/platform.ts';
import { uploadStateKey } from '../src/ingest/upload-state.ts';
import { noise, tonearm as runTonearm, tone } from './ingest-support.ts';

function tonearm(args: string[], input = '') {
  return runTonearm(args, { XDG_CONFIG_HOME: configHome, TONEARM_SERVER: platform.edgeUrl }, input);
}

let platform: Platform;
let root: string;
let configHome: string;
let music: string;
const email = `cli-${Date.now()}@example.org`;
const password = 'a long passphrase for the command line';

const albumOne = { artist: 'Zoë Künstler', album: 'Ålbum Één' };
const albumTwo = { artist: 'The Second Band', album: 'Second Side' };

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'tonearm-cli-'));
  configHome = join(root, 'config');
  music = join(root, 'music library');
  const one = join(music, 'Zoë Künstler', 'Ålbum Één');
  const two = join(music, 'Second Band', 'Second Side (2024)');
  await Promise.all([
    platformStart(),
    tone(join(one, '01 Première chanson.flac'), { ...albumOne, title: 'Première chanson', track: 1 }),
    tone(join(one, '02 Zweites Lied.mp3'), { ...albumOne, title: 'Zweites Lied', track: 2 }),
    tone(join(one, '03 Третья песня.ogg'), { ...albumOne, title: 'Третья песня', track: 3 }),
    tone(join(two, 'track one.ogg'), { ...albumTwo, title: 'Opening', track: 1 }),
    tone(join(two, 'track two.flac'), { ...albumTwo, title: 'Middle', track: 2 }),
    tone(join(two, 'track three.mp3'), { ...albumTwo, title: 'Closing', track: 3 }),
    tone(join(root, 'later', 'resumed song.flac'), { ...albumTwo, title: 'Encore', track: 4 }),
  ]);
  await writeFile(join(music, 'liner notes.mp3'), 'These are liner notes, not audio, whatever the name says.\n');
  await mkdir(join(music, 'copies'));
  await copyFile(join(two, 'track two.flac'), join(music, 'copies', 'same as track two.flac'));
}, 300_000);

async function platformStart() {
  platform = await startPlatform({ readyTimeoutMs: 120_000 });
  const registered = await platform.request('POST', '/api/auth/register', {
    body: { email, password, displayName: 'CLI Artist' },
  });
  if (registered.status !== 201) throw new Error(`register answered ${registered.status}: ${registered.text}`);
}

afterAll(async () => {
  await platform?.stop();
  if (root) await rm(root, { recursive: true, force: true });
}, 60_000);

describe('tonearm against the running platform', () => {
  let token: string;

  it('logs in with the password from stdin and stores an API token only its owner can read', async () => {
    const sut = await tonearm(['login', '--email', email], `${password}\n`);
    expect(sut.stderr).toContain('Logged in');
    expect(sut.code).toBe(0);
    const path = join(configHome, 'tonearm', 'config.json');
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    token = JSON.parse(await readFile(path, 'utf8')).servers[platform.edgeUrl].token;
    expect(token).toMatch(/^tnat_/);
    expect((await platform.request('GET', '/api/me', { token })).body.email).toBe(email);
  });

  it('refuses a wrong password with exit code 1 and stores nothing new', async () => {
    const sut = await tonearm(['login', '--email', email], 'not the password\n');
    expect(sut.code).toBe(1);
    expect(sut.stderr).toContain('401');
    const stored = JSON.parse(await readFile(join(configHome, 'tonearm', 'config.json'), 'utf8'));
    expect(stored.servers[platform.edgeUrl].token).toBe(token);
  });

  it('shows in a dry run what would be uploaded with the tags read locally, and uploads nothing', async () => {
    const sut = await tonearm(['ingest', '--dry-run', '--json', music]);
    expect(sut.code, sut.stderr).toBe(0);
    const report = JSON.parse(sut.stdout);
    expect(report.planned).toHaveLength(6);
    expect(report.planned).toContainEqual(
      expect.objectContaining({
        path: join(music, 'Zoë Künstler', 'Ålbum Één', '03 Третья песня.ogg'),
        tags: { ...albumOne, title: 'Третья песня', trackNumber: 3 },
      }),
    );
    expect(report.skipped).toHaveLength(1);
    expect(report.ignored).toHaveLength(1);
    const tracks = await platform.request('GET', '/api/tracks?mine=true', { token });
    expect(tracks.body.items).toEqual([]);
  });

  it('ingests the folder: audio by content, the copy skipped, tracks ready, albums in order', async () => {
    const sut = await tonearm(['ingest', '--wait', '--json', '--concurrency', '3', music]);
    expect(sut.code, sut.stderr).toBe(0);
    const report = JSON.parse(sut.stdout);
    expect(report.failed).toEqual([]);
    expect(report.ingested.map((item: { path: string }) => item.path.slice(music.length + 1)).sort()).toEqual(
      [
        'Second Band/Second Side (2024)/track one.ogg',
        'Second Band/Second Side (2024)/track three.mp3',
        'Second Band/Second Side (2024)/track two.flac',
        'Zoë Künstler/Ålbum Één/01 Première chanson.flac',
        'Zoë Künstler/Ålbum Één/02 Zweites Lied.mp3',
        'Zoë Künstler/Ålbum Één/03 Третья песня.ogg',
      ].sort(),
    );
    expect(report.ingested.every((item: { status: string }) => item.status === 'ready')).toBe(true);
    expect(report.skipped).toEqual([
      expect.objectContaining({ path: join(music, 'copies', 'same as track two.flac'), outcome: 'skipped' }),
    ]);
    expect(report.ignored).toEqual([expect.objectContaining({ path: join(music, 'liner notes.mp3') })]);
    expect(report.uploadedBytes).toBeGreaterThan(0);

    for (const item of report.ingested) {
      const track = await platform.request('GET', `/api/tracks/${item.trackId}`, { token });
      expect(track.body.status).toBe('ready');
    }
    const albums = await platform.request('GET', '/api/albums', { token });
    expect(albums.status).toBe(200);
    for (const expected of [
      { ...albumOne, titles: ['Première chanson', 'Zweites Lied', 'Третья песня'] },
      { ...albumTwo, titles: ['Opening', 'Middle', 'Closing'] },
    ]) {
      const summary = albums.body.items.find((album: { title: string }) => album.title === expected.album);
      expect(summary, `album ${expected.album}`).toMatchObject({ artist: { name: expected.artist }, trackCount: 3 });
      const detail = await platform.request('GET', `/api/albums/${summary.id}`, { token });
      expect(detail.body.tracks.map((track: { title: string }) => track.title)).toEqual(expected.titles);
      expect(detail.body.tracks.map((track: { trackNumber: number }) => track.trackNumber)).toEqual([1, 2, 3]);
    }
  }, 300_000);

  it('uploads nothing on a second run over the same folder and says so', async () => {
    const sut = await tonearm(['ingest', music]);
    expect(sut.code, sut.stderr).toBe(0);
    expect(sut.stdout).toContain('Ingested 0, skipped 7 duplicates, failed 0, ignored 1 not audio (0 B uploaded)');
    expect(sut.stdout).toContain('Nothing to upload: everything is already there.');
  });

  it('resumes an upload an interrupted run left open instead of starting over', async () => {
    const path = join(root, 'later', 'resumed song.flac');
    const bytes = await readFile(path);
    const info = await stat(path);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const created = await platform.request('POST', '/api/uploads', {
      token,
      body: { filename: 'resumed song.flac', size: bytes.length, sha256 },
    });
    expect(created.status).toBe(201);
    const put = await fetch(created.body.parts[0].url, { method: 'PUT', body: bytes });
    expect(put.ok).toBe(true);
    const key = uploadStateKey({ server: platform.edgeUrl, path, size: info.size, mtimeMs: info.mtimeMs, sha256 });
    const state = { uploads: { [key]: { ...created.body, updatedAt: new Date().toISOString() } } };
    await writeFile(join(configHome, 'tonearm', 'uploads.json'), JSON.stringify(state), { mode: 0o600 });

    const sut = await tonearm(['ingest', '--wait', '--json', join(root, 'later')]);
    expect(sut.code, sut.stderr).toBe(0);
    const report = JSON.parse(sut.stdout);
    expect(report.ingested).toEqual([
      { path, outcome: 'ingested', trackId: created.body.trackId, status: 'ready', resumed: true },
    ]);
    expect(report.uploadedBytes).toBe(0);
    expect(JSON.parse(await readFile(join(configHome, 'tonearm', 'uploads.json'), 'utf8')).uploads).toEqual({});
  });

  it('sends only the parts an interrupted multipart upload still misses', async () => {
    const path = join(root, 'long', 'long noise.flac');
    await mkdir(join(root, 'long'));
    await noise(path, 75, 'Noise');
    const bytes = await readFile(path);
    const info = await stat(path);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const created = await platform.request('POST', '/api/uploads', {
      token,
      body: { filename: 'long noise.flac', size: bytes.length, sha256 },
    });
    expect(created.status).toBe(201);
    const { partSize, parts } = created.body as { partSize: number; parts: { url: string }[] };
    expect(parts.length).toBeGreaterThan(1);
    const put = await fetch(parts[0]!.url, { method: 'PUT', body: bytes.subarray(0, partSize) });
    expect(put.ok).toBe(true);
    const key = uploadStateKey({ server: platform.edgeUrl, path, size: info.size, mtimeMs: info.mtimeMs, sha256 });
    const state = { uploads: { [key]: { ...created.body, updatedAt: new Date().toISOString() } } };
    await writeFile(join(configHome, 'tonearm', 'uploads.json'), JSON.stringify(state), { mode: 0o600 });

    const sut = await tonearm(['ingest', '--json', join(root, 'long')]);
    expect(sut.code, sut.stderr).toBe(0);
    const report = JSON.parse(sut.stdout);
    expect(report.ingested).toEqual([
      { path, outcome: 'ingested', trackId: created.body.trackId, status: 'processing', resumed: true },
    ]);
    expect(report.uploadedBytes).toBe(bytes.length - partSize);
    const upload = await platform.request('GET', `/api/uploads/${created.body.uploadId}`, { token });
    expect(['processing', 'completed']).toContain(upload.body.status);
  });
});
