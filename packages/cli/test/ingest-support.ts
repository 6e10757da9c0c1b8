import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const bin = resolve(import.meta.dirname, '../bin/tonearm.js');

/** What a finished `tonearm` process said and how it ended. */
export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Starts `tonearm` as a user would, with `env` on top of this process's environment. */
export function spawnTonearm(args: string[], env: Record<string, string>): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, [bin, ...args], { env: { ...process.env, TONEARM_TOKEN: '', ...env } });
}

/** Waits for a `tonearm` process to end, collecting its output. */
export function finished(child: ChildProcessWithoutNullStreams, input = ''): Promise<CliRun> {
  return new Promise((done, fail) => {
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

/** Runs `tonearm` to its end. */
export function tonearm(args: string[], env: Record<string, string>, input = ''): Promise<CliRun> {
  return finished(spawnTonearm(args, env), input);
}

/** Tags written into a generated file. */
export interface ToneTags {
  title: string;
  artist: string;
  album: string;
  track: number;
}

/** A short tone with tags, encoded by ffmpeg into the format the extension names. */
export async function tone(path: string, tags: ToneTags, seconds = 1): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await run('ffmpeg', [
    ...['-v', 'error', '-f', 'lavfi', '-i', `sine=frequency=${300 + tags.track * 110}:duration=${seconds}`, '-ac', '2'],
    ...['-metadata', `title=${tags.title}`, '-metadata', `artist=${tags.artist}`],
    ...['-metadata', `album=${tags.album}`, '-metadata', `track=${tags.track}`],
    ...(path.endsWith('.aiff') ? ['-write_id3v2', '1'] : []),
    path,
  ]);
}

/** Stereo noise (which does not compress) of `seconds`, encoded as the extension names. */
export async function noise(path: string, seconds: number, title: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await run('ffmpeg', [
    ...['-v', 'error', '-f', 'lavfi', '-i', `anoisesrc=d=${seconds}:r=44100:seed=7`, '-ac', '2'],
    ...['-metadata', `title=${title}`],
    path,
  ]);
}
