import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { eventually } from '@tonearm/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type Platform } from '../../../apps/edge/test/support/platform.ts';
import { mapLimit } from '../src/ingest/part-plan.ts';
import { finished, noise, spawnTonearm, tonearm as runTonearm, tone } from './ingest-support.ts';

const run = promisify(execFile);

/** One album of the generated catalog: its folder, tags and one file name per track, in order. */
interface AlbumPlan {
  folder: string;
  artist: string;
  album: string;
  tracks: { file: string; title: string }[];
}

// WAV keeps its tags in RIFF INFO, which has no declared encoding: WAV files only in ASCII-tagged albums.
const albums: AlbumPlan[] = [
  {
    folder: 'Zoë Künstler/Ålbum Één (2024)',
    artist: 'Zoë Künstler',
    album: 'Ålbum Één',
    tracks: [
      { file: '01 Première chanson.flac', title: 'Première chanson' },
      { file: '02 Zweites Lied.mp3', title: 'Zweites Lied' },
      { file: '03 Третья песня.ogg', title: 'Третья песня' },
      { file: '04 Quatrième.opus', title: 'Quatrième' },
      { file: '05 Fünfte Stunde.m4a', title: 'Fünfte Stunde' },
      { file: '06 Sexta canción.aiff', title: 'Sexta canción' },
    ],
  },
  {
    folder: 'The Second Band/Second Side/Disc 1',
    artist: 'The Second Band',
    album: 'Second Side',
    tracks: [
      { file: 'track one.wav', title: 'Opening' },
      { file: 'track two.mp3', title: 'Middle Eight' },
      { file: 'track three.flac', title: 'Bridge' },
      { file: 'track four.ogg', title: 'Coda' },
      { file: 'track five.opus', title: 'Reprise' },
      { file: 'track six.m4a', title: 'Outro' },
      { file: 'track seven.aiff', title: 'Hidden Track' },
    ],
  },
  {
    folder: 'Трио Ветер/Ночной город',
    artist: 'Трио Ветер',
    album: 'Ночной город',
    tracks: [
      { file: '1 - Вечер.mp3', title: 'Вечер' },
      { file: '2 - Полночь.flac', title: 'Полночь' },
      { file: '3 - Рассвет.opus', title: 'Рассвет' },
      { file: '4 - Утро.m4a', title: 'Утро' },
      { file: '5 - День.ogg', title: 'День' },
    ],
  },
  {
    folder: 'Kyoto Quartet 京都/Live at Hall 3/set list',
    artist: 'Kyoto Quartet',
    album: 'Live at Hall 3',
    tracks: [
      { file: '01 welcome.wav', title: 'Welcome' },
      { file: '02 first tune.aiff', title: 'First Tune' },
      { file: '03 second tune.flac', title: 'Second Tune' },
      { file: '04 ballad.mp3', title: 'Ballad' },
      { file: '05 encore.m4a', title: 'Encore' },
    ],
  },
  {
    folder: 'singles/2023/demos',
    artist: 'Solo Act',
    album: 'Demos 2023',
    tracks: [
      { file: 'idée folle.mp3', title: 'Idée folle' },
      { file: 'late night.wav', title: 'Late Night' },
      { file: 'rough mix.opus', title: 'Rough Mix' },
    ],
  },
];

const email = `cli-catalog-${Date.now()}@example.org`;
const password = 'a long passphrase for the whole catalog';
let platform: Platform;
let root: string;
let music: string;
let configHome: string;
let token: string;
const audioCount = albums.reduce((sum, album) => sum + album.tracks.length, 0);
const brokenPath = () => join(music, 'The Second Band', 'Second Side', 'bonus', 'broken take.flac');
const copyPath = () => join(music, 'copies', 'same as track two.mp3');

function tonearm(args: string[], input = '') {
  return runTonearm(args, env(), input);
}

function env() {
  return { XDG_CONFIG_HOME: configHome, TONEARM_SERVER: platform.edgeUrl };
}

async function generateCatalog(): Promise<void> {
  const jobs = albums.flatMap((album) =>
    album.tracks.map(
      (track, index) => () =>
        tone(
          join(music, album.folder, track.file),
          { artist: album.artist, album: album.album, title: track.title, track: index + 1 },
          1 + (index % 3),
        ),
    ),
  );
  await mapLimit(jobs, 3, (job) => job());
  const broken = join(root, 'broken.flac');
  await noise(broken, 3, 'Broken Take');
  const bytes = await readFile(broken);
  await mkdir(join(music, 'The Second Band', 'Second Side', 'bonus'), { recursive: true });
  await writeFile(brokenPath(), bytes.subarray(0, Math.floor(bytes.length / 2)));
  await mkdir(join(music, 'copies'));
  await copyFile(join(music, albums[1]!.folder, 'track two.mp3'), copyPath());
  await writeFile(join(music, 'liner notes.mp3'), 'These are liner notes, not audio, whatever the name says.\n');
  await run('ffmpeg', [
    ...['-v', 'error', '-f', 'lavfi', '-i', 'color=c=orange:s=64x64', '-frames:v', '1'],
    join(music, albums[0]!.folder, 'cover.jpg'),
  ]);
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'tonearm-catalog-'));
  configHome = join(root, 'config');
  music = join(root, 'label catalogue');
  // One after the other: on two busy cores, encoding while the services start slows their start-up.
  await generateCatalog();
  platform = await startPlatform({ readyTimeoutMs: 120_000 });
  const registered = await platform.request('POST', '/api/auth/register', {
    body: { email, password, displayName: 'Label' },
  });
  if (registered.status !== 201) throw new Error(`register answered ${registered.status}: ${registered.text}`);
  const login = await tonearm(['login', '--email', email], `${password}\n`);
  if (login.code !== 0) throw new Error(`login failed: ${login.stderr}`);
  token = JSON.parse(await readFile(join(configHome, 'tonearm', 'config.json'), 'utf8')).servers[platform.edgeUrl]
    .token;
}, 420_000);

afterAll(async () => {
  await platform?.stop();
  if (root) await rm(root, { recursive: true, force: true });
}, 60_000);

describe('tonearm ingest of a whole label folder against the running platform', () => {
  it('ingests every album, skips the copy, ignores what is not audio and names the broken file with its reason', async () => {
    const sut = await tonearm(['ingest', '--wait', '--json', '--concurrency', '4', music]);
    expect(sut.code, sut.stderr).toBe(1);
    const report = JSON.parse(sut.stdout);
    const relative = (items: { path: string }[]) => items.map((item) => item.path.slice(music.length + 1)).sort();
    const expected = albums.flatMap((album) => album.tracks.map((track) => `${album.folder}/${track.file}`)).sort();
    expect(relative(report.ingested)).toEqual(expected);
    expect(report.ingested.every((item: { status: string }) => item.status === 'ready')).toBe(true);
    expect(report.ingested.every((item: { resumed: boolean }) => !item.resumed)).toBe(true);
    expect(report.skipped).toEqual([
      expect.objectContaining({ path: copyPath(), reason: expect.stringContaining('same content as') }),
    ]);
    expect(relative(report.ignored)).toEqual([`${albums[0]!.folder}/cover.jpg`, 'liner notes.mp3']);
    expect(report.failed).toEqual([
      expect.objectContaining({ path: brokenPath(), reason: expect.stringMatching(/truncated/) }),
    ]);
    expect(report.interrupted).toBe(false);
    expect(audioCount + 4).toBe(30);
  }, 600_000);

  it('keeps albums together with their tracks in track-number order', async () => {
    const listed = await platform.request('GET', '/api/albums?limit=100', { token });
    expect(listed.status).toBe(200);
    for (const plan of albums) {
      const summary = listed.body.items.find((album: { title: string }) => album.title === plan.album);
      expect(summary, `album ${plan.album}`).toMatchObject({
        artist: { name: plan.artist },
        trackCount: plan.tracks.length,
      });
      const detail = await platform.request('GET', `/api/albums/${summary.id}`, { token });
      expect(detail.body.tracks.map((track: { title: string }) => track.title)).toEqual(
        plan.tracks.map((track) => track.title),
      );
      expect(detail.body.tracks.map((track: { trackNumber: number }) => track.trackNumber)).toEqual(
        plan.tracks.map((_, index) => index + 1),
      );
    }
  });

  it('uploads nothing on a second run and says so', async () => {
    const sut = await tonearm(['ingest', music]);
    expect(sut.code, sut.stderr).toBe(0);
    expect(sut.stdout).toContain(
      `Ingested 0, skipped ${audioCount + 2} duplicates, failed 0, ignored 2 not audio (0 B uploaded)`,
    );
    expect(sut.stdout).toContain('Nothing to upload: everything is already there.');
  });

  it('stops cleanly on Ctrl-C in the middle of an upload and resumes it on the next run', async () => {
    const folder = join(root, 'long takes');
    const path = join(folder, 'long take.wav');
    await noise(path, 60, 'Long Take');
    const { size } = await stat(path);
    const args = ['ingest', '--json', '--concurrency', '1', '--part-concurrency', '1', '--limit-rate', '2M', folder];
    const child = spawnTonearm(args, env());
    const ended = finished(child);
    const statePath = join(configHome, 'tonearm', 'uploads.json');
    const readSaved = async () =>
      Object.values(JSON.parse(await readFile(statePath, 'utf8').catch(() => '{"uploads":{}}')).uploads) as {
        uploadId: string;
      }[];
    const saved = await eventually(readSaved, (uploads) => uploads.length === 1, { timeoutMs: 30_000, intervalMs: 50 });
    expect(saved).toHaveLength(1);
    const uploadId = saved[0]!.uploadId;
    const partial = await eventually(
      async () => (await platform.request('GET', `/api/uploads/${uploadId}`, { token })).body,
      (upload) => upload.parts?.length > 0,
      { timeoutMs: 30_000, intervalMs: 50 },
    );
    expect(partial.parts.length).toBeGreaterThan(0);
    expect(partial.partCount).toBeGreaterThan(2);
    child.kill('SIGINT');

    const interrupted = await ended;
    expect(interrupted.code, interrupted.stderr).toBe(130);
    expect(interrupted.stderr).toContain('Interrupted');
    const report = JSON.parse(interrupted.stdout);
    expect(report).toMatchObject({ interrupted: true, unfinished: [path], ingested: [], failed: [] });
    expect(await readSaved()).toEqual([expect.objectContaining({ uploadId })]);
    const left = await platform.request('GET', `/api/uploads/${uploadId}`, { token });
    expect(left.body.status).toBe('uploading');
    expect(left.body.parts.length).toBeLessThan(left.body.partCount);
    const alreadySent = left.body.parts.reduce((sum: number, part: { size: number }) => sum + part.size, 0);

    const resumed = await tonearm(['ingest', '--wait', '--json', folder]);
    expect(resumed.code, resumed.stderr).toBe(0);
    const done = JSON.parse(resumed.stdout);
    expect(done.ingested).toEqual([
      { path, outcome: 'ingested', trackId: left.body.trackId, status: 'ready', resumed: true },
    ]);
    expect(done.uploadedBytes).toBe(size - alreadySent);
    expect(done.uploadedBytes).toBeLessThan(size);
    expect(JSON.parse(await readFile(statePath, 'utf8')).uploads).toEqual({});
    const mine = await platform.request('GET', '/api/tracks?mine=true&limit=100', { token });
    expect(mine.body.items.filter((track: { title: string }) => track.title === 'Long Take')).toHaveLength(1);
  }, 180_000);
});
