import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { eventually as pollEventually } from '@tonearm/testing';
import type { Platform } from './platform.ts';

const run = promisify(execFile);

/** A registered, signed-in account. */
export interface Listener {
  email: string;
  password: string;
  userId: string;
  accessToken: string;
  refreshToken: string;
}

let counter = 0;

/** Registers and signs in through the edge; fails unless both answer as api.md says. */
export async function signUp(platform: Platform): Promise<Listener> {
  const email = `listener-${++counter}-${Date.now()}@example.org`;
  const password = `a long and unusual passphrase number ${counter}`;
  const registered = await platform.request('POST', '/api/auth/register', {
    body: { email, password, displayName: `Listener ${counter}` },
  });
  if (registered.status !== 201) throw new Error(`register answered ${registered.status}: ${registered.text}`);
  const login = await platform.request('POST', '/api/auth/login', { body: { email, password } });
  if (login.status !== 200) throw new Error(`login answered ${login.status}: ${login.text}`);
  return {
    email,
    password,
    userId: registered.body.user.id,
    accessToken: login.body.accessToken,
    refreshToken: login.body.refreshToken,
  };
}

/** A FLAC file of a sine tone with title and artist tags, made by ffmpeg. */
export async function toneFlac(seconds: number, title: string): Promise<Buffer> {
  const dir = await mkdtemp(join(tmpdir(), 'edge-tone-'));
  try {
    const file = join(dir, 'tone.flac');
    await run('ffmpeg', [
      '-v',
      'error',
      '-f',
      'lavfi',
      '-i',
      `sine=frequency=440:sample_rate=44100:duration=${seconds}`,
      '-ac',
      '2',
      '-metadata',
      `title=${title}`,
      '-metadata',
      'artist=Edge Test Artist',
      file,
    ]);
    return await readFile(file);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Uploads a file through the edge the way a client does (presigned parts) and answers its track id. */
export async function upload(platform: Platform, listener: Listener, filename: string, bytes: Buffer) {
  const created = await platform.request('POST', '/api/uploads', {
    token: listener.accessToken,
    body: { filename, size: bytes.byteLength, contentType: 'audio/flac' },
  });
  if (created.status !== 201) throw new Error(`create upload answered ${created.status}: ${created.text}`);
  const { uploadId, trackId, partSize, parts } = created.body as {
    uploadId: string;
    trackId: string;
    partSize: number;
    parts: { partNumber: number; url: string }[];
  };
  const done = [];
  for (const part of parts) {
    const slice = bytes.subarray((part.partNumber - 1) * partSize, part.partNumber * partSize);
    const put = await fetch(part.url, { method: 'PUT', body: slice });
    if (!put.ok) throw new Error(`part ${part.partNumber} answered ${put.status}`);
    done.push({ partNumber: part.partNumber, etag: put.headers.get('etag')! });
  }
  const completed = await platform.request('POST', `/api/uploads/${uploadId}/complete`, {
    token: listener.accessToken,
    body: { parts: done },
  });
  if (completed.status !== 202) throw new Error(`complete answered ${completed.status}: ${completed.text}`);
  return trackId;
}

/** Polls `GET /api/tracks/:id` until the track is ready; fails on failed or after `timeoutMs`. */
export async function waitUntilReady(platform: Platform, listener: Listener, trackId: string, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answer = await platform.request('GET', `/api/tracks/${trackId}`, { token: listener.accessToken });
    if (answer.status === 200 && answer.body.status === 'ready') return answer.body;
    if (answer.status === 200 && answer.body.status === 'failed') throw new Error(`track failed: ${answer.text}`);
    if (Date.now() > deadline) throw new Error(`track not ready in time: ${answer.status} ${answer.text}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** `eventually` of @tonearm/testing with this suite's pace: 5 s by default, a probe every 100 ms. */
export function eventually<T>(probe: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 5_000) {
  return pollEventually(probe, accept, { timeoutMs, intervalMs: 100 });
}

/** Decodes an HLS URL with ffmpeg to 8 kHz mono PCM and answers the seconds of audio it got. */
export async function decodedSeconds(url: string): Promise<number> {
  const { stdout } = await run(
    'ffmpeg',
    ['-v', 'error', '-i', url, '-map', '0:a:0', '-ac', '1', '-ar', '8000', '-f', 's16le', '-'],
    { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 },
  );
  return stdout.byteLength / 2 / 8000;
}
