import { execFile } from 'node:child_process';
import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { repositoryRoot, sendRequest } from '@tonearm/testing';
import type { SystemPlatform } from './system-platform.ts';

const run = promisify(execFile);

/** A signed-up account with a signed-in session. */
export interface Account {
  email: string;
  password: string;
  userId: string;
  accessToken: string;
  refreshToken: string;
}

let accounts = 0;

/** A request a client repeats while the edge answers 503 (a service busy or briefly away), for up to 30 s. */
async function patiently(platform: SystemPlatform, path: string, body: unknown) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const answer = await platform.request('POST', path, { body });
    if (answer.status !== 503 || Date.now() > deadline) return answer;
    await sleep(1_000);
  }
}

/** Registers an account and signs it in through the public API. */
export async function createAccount(platform: SystemPlatform, label = 'user'): Promise<Account> {
  const email = `${label}-${++accounts}-${Date.now()}@system.test`;
  const password = `correct horse battery staple ${accounts}`;
  const registered = await patiently(platform, '/api/auth/register', {
    email,
    password,
    displayName: `${label} ${accounts}`,
  });
  // 409: an earlier try that timed out at the edge did register it.
  if (registered.status !== 201 && registered.status !== 409) {
    throw new Error(`register answered ${registered.status}: ${registered.text}`);
  }
  return signIn(platform, email, password);
}

/** Signs an existing account in: a new session with its own tokens. */
export async function signIn(platform: SystemPlatform, email: string, password: string): Promise<Account> {
  const login = await patiently(platform, '/api/auth/login', { email, password });
  if (login.status !== 200) throw new Error(`login answered ${login.status}: ${login.text}`);
  return {
    email,
    password,
    userId: login.body.user.id,
    accessToken: login.body.accessToken,
    refreshToken: login.body.refreshToken,
  };
}

/** A tagged FLAC sine tone made by ffmpeg in `dir`; answers its path. */
export async function makeTone(
  dir: string,
  name: string,
  tags: { seconds: number; title: string; artist: string; album: string; track: number },
): Promise<string> {
  await mkdir(dir, { recursive: true });
  const file = join(dir, `${name}.flac`);
  const frequency = 220 + ((tags.track * 37 + tags.title.length * 11) % 600);
  await run('ffmpeg', [
    ...['-v', 'error', '-f', 'lavfi', '-i', `sine=frequency=${frequency}:sample_rate=44100:duration=${tags.seconds}`],
    ...['-ac', '2', '-metadata', `title=${tags.title}`, '-metadata', `artist=${tags.artist}`],
    ...['-metadata', `album=${tags.album}`, '-metadata', `track=${tags.track}`, file],
  ]);
  return file;
}

/** A new temporary folder. */
export function scratchDir(label: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `tonearm-system-${label}-`));
}

/** What `tonearm ingest --json` reports. */
export interface CliReport {
  ingested: { path: string; trackId: string; status?: string }[];
  skipped: { path: string; trackId?: string }[];
  failed: { path: string; trackId?: string; reason: string }[];
}

/** An API token for the CLI (`POST /api/tokens`). */
export async function apiToken(platform: SystemPlatform, account: Account): Promise<string> {
  const created = await platform.request('POST', '/api/tokens', {
    token: account.accessToken,
    body: { name: 'system tests', scopes: ['ingest', 'read'] },
  });
  if (created.status !== 201) throw new Error(`POST /api/tokens answered ${created.status}: ${created.text}`);
  return created.body.token as string;
}

/** Runs `tonearm ingest <dir> --wait --json` against the platform and answers its report and exit code. */
export async function cliIngest(
  platform: SystemPlatform,
  token: string,
  dir: string,
  flags: string[] = [],
): Promise<{ code: number; report: CliReport; stderr: string }> {
  const config = await scratchDir('cli-config');
  const bin = join(repositoryRoot, 'packages/cli/bin/tonearm.js');
  const args = [bin, 'ingest', dir, '--server', platform.edgeUrl, '--token', token, '--wait', '--json', ...flags];
  const result = await run(process.execPath, args, {
    env: { ...process.env, XDG_CONFIG_HOME: config, NO_COLOR: '1' },
    maxBuffer: 64 * 1024 * 1024,
  }).then(
    (done) => ({ code: 0, stdout: done.stdout, stderr: done.stderr }),
    (error: { code?: number; stdout?: string; stderr?: string }) => ({
      code: typeof error.code === 'number' ? error.code : -1,
      stdout: error.stdout ?? '',
      stderr: error.stderr ?? String(error),
    }),
  );
  let report: CliReport;
  try {
    report = JSON.parse(result.stdout) as CliReport;
  } catch {
    throw new Error(`tonearm ingest exited with ${result.code} and no report:\n${result.stderr.slice(-3000)}`);
  }
  return { code: result.code, report, stderr: result.stderr };
}

/** Uploads a file the way a browser does (presigned parts through S3) and answers its track id. */
export async function apiUpload(platform: SystemPlatform, account: Account, filename: string, bytes: Buffer) {
  const created = await retrying('create the upload', async () => {
    const answer = await platform.request('POST', '/api/uploads', {
      token: account.accessToken,
      body: { filename, size: bytes.byteLength, contentType: 'audio/flac' },
    });
    if (answer.status === 503) throw new Error(`POST /api/uploads answered 503: ${answer.text}`);
    return answer;
  });
  if (created.status !== 201) throw new Error(`POST /api/uploads answered ${created.status}: ${created.text}`);
  const { uploadId, trackId, partSize, parts } = created.body as {
    uploadId: string;
    trackId: string;
    partSize: number;
    parts: { partNumber: number; url: string }[];
  };
  const etags: { partNumber: number; etag: string }[] = [];
  for (const part of parts) {
    const slice = bytes.subarray((part.partNumber - 1) * partSize, part.partNumber * partSize);
    const put = await retrying(`part ${part.partNumber}`, async () => {
      const answer = await fetch(part.url, { method: 'PUT', body: slice });
      if (!answer.ok) throw new Error(`PUT part answered ${answer.status}`);
      return answer;
    });
    etags.push({ partNumber: part.partNumber, etag: put.headers.get('etag')! });
  }
  const completed = await retrying('complete', async () => {
    const answer = await platform.request('POST', `/api/uploads/${uploadId}/complete`, {
      token: account.accessToken,
      body: { parts: etags },
    });
    if (answer.status >= 500) throw new Error(`complete answered ${answer.status}: ${answer.text}`);
    return answer;
  });
  if (completed.status !== 202) throw new Error(`complete answered ${completed.status}: ${completed.text}`);
  return { trackId, uploadId };
}

/** Runs `attempt` until it resolves, with a pause between tries, like a client that retries for a minute. */
export async function retrying<T>(what: string, attempt: () => Promise<T>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (let tries = 1; ; tries++) {
    try {
      return await attempt();
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`${what}: still failing after ${tries} tries`, { cause: error });
      await sleep(Math.min(500 * tries, 2_000));
    }
  }
}

/** A track as `GET /api/tracks/:id` answers it. */
export interface TrackAnswer {
  id: string;
  status: 'processing' | 'ready' | 'failed';
  error?: string;
  title: string;
  owner: { id: string };
}

/** Polls a track until it is ready or failed, and answers it. */
export async function settledTrack(
  platform: SystemPlatform,
  account: Account,
  trackId: string,
  timeoutMs = 120_000,
): Promise<TrackAnswer> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answer = await platform
      .request('GET', `/api/tracks/${trackId}`, { token: account.accessToken })
      .catch(() => undefined);
    if (answer?.status === 200 && answer.body.status !== 'processing') return answer.body as TrackAnswer;
    if (Date.now() > deadline)
      throw new Error(`track ${trackId} not settled in ${timeoutMs} ms: ${answer?.status} ${answer?.text}`);
    await sleep(500);
  }
}

/** Figures of one listener's plays. */
export interface ListenerFigures {
  segments: number;
  failures: string[];
  latenciesMs: number[];
}

const playlistUris = (text: string) =>
  text
    .split('\n')
    .flatMap((line) => {
      const map = /#EXT-X-MAP:URI="([^"]+)"/.exec(line);
      if (map) return [map[1]!];
      return line && !line.startsWith('#') ? [line.trim()] : [];
    })
    .filter(Boolean);

/**
 * Plays a track like an HLS client: the playback URL, the master playlist, one variant (by
 * `variant` index), its init segment and every media segment, timing each segment.
 */
export async function playTrack(
  platform: SystemPlatform,
  account: Account,
  trackId: string,
  variant: number,
  figures: ListenerFigures,
  baseUrl = platform.edgeUrl,
): Promise<void> {
  const playback = await platform.request('GET', `/api/tracks/${trackId}/playback`, {
    token: account.accessToken,
    baseUrl,
  });
  if (playback.status !== 200) throw new Error(`playback answered ${playback.status}: ${playback.text}`);
  const masterUrl = new URL(playback.body.masterUrl as string, baseUrl);
  const master = await sendRequest(masterUrl.href, 'GET');
  if (master.status !== 200) throw new Error(`master playlist answered ${master.status}`);
  const variants = playlistUris(master.text);
  const variantUrl = new URL(variants[variant % variants.length]!, masterUrl);
  const media = await sendRequest(variantUrl.href, 'GET');
  if (media.status !== 200) throw new Error(`variant playlist answered ${media.status}`);
  for (const uri of playlistUris(media.text)) {
    const started = performance.now();
    const response = await fetch(new URL(uri, variantUrl));
    const bytes = await response.arrayBuffer();
    if (response.status !== 200 || bytes.byteLength === 0) {
      throw new Error(`segment ${uri.split('?')[0]} answered ${response.status} with ${bytes.byteLength} bytes`);
    }
    figures.latenciesMs.push(performance.now() - started);
    figures.segments++;
  }
}

/** The value at quantile `q` (0..1) of the numbers. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}
