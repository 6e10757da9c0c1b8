import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { freePort, type ChildService } from '@tonearm/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  apiUpload,
  createAccount,
  makeTone,
  playTrack,
  retrying,
  scratchDir,
  settledTrack,
  signIn,
  type Account,
  type ListenerFigures,
} from '../support/clients.ts';
import { auditOutcome, describeAudit } from '../support/outcome-audit.ts';
import type { PrivateService } from '../support/private-services.ts';
import { duration, report } from '../support/report.ts';
import { scale } from '../support/scale.ts';
import type { SystemPlatform } from '../support/system-platform.ts';

const run = promisify(execFile);

/**
 * The process ids of the ladder passes (ffmpeg writing HLS) a process runs; short ffmpeg calls such
 * as fluent-ffmpeg's capability checks before a worker's first job are left out.
 */
async function ffmpegChildren(pid: number): Promise<number[]> {
  const { stdout } = await run('ps', ['-o', 'pid=,args=', '--ppid', String(pid)]).catch(() => ({ stdout: '' }));
  return stdout
    .split('\n')
    .filter((line) => line.includes('ffmpeg') && line.includes(' hls '))
    .map((line) => Number(line.trim().split(/\s+/)[0]));
}

/** SIGKILLs a process that may have ended on its own meanwhile. */
function killIfRunning(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/** Resolves once the process runs ffmpeg (it is transcoding), with ffmpeg's process ids. */
async function untilTranscoding(pid: number, timeoutMs = 60_000): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const children = await ffmpegChildren(pid);
    if (children.length > 0) return children;
    if (Date.now() > deadline) throw new Error(`process ${pid} started no ffmpeg in ${timeoutMs} ms`);
    await sleep(50);
  }
}

/** Stops a backing service for the scenario's outage, runs `during` meanwhile, then starts it again. */
async function outage<T>(service: PrivateService, how: 'kill' | 'clean', during: () => Promise<T>): Promise<T> {
  const started = Date.now();
  await service.stop(how);
  try {
    const result = await during();
    const left = scale.outageMs - (Date.now() - started);
    if (left > 0) await sleep(left);
    return result;
  } finally {
    await service.start();
  }
}

/**
 * Faults, each followed by the outcome audit (every upload started ends ready or failed with a
 * reason; announced once; the catalog applied it once): a transcoder SIGKILLed mid-job, NATS
 * restarted, Redis and Postgres stopped, S3 stopped during an upload and during a transcode, an
 * edge killed while segments stream.
 */
export function faultScenarios(platformOf: () => SystemPlatform) {
  describe(`faults (outages of ${scale.outageMs / 1_000} s)`, () => {
    let platform: SystemPlatform;
    let artist: Account;
    let dir: string;
    let uploads = 0;
    /** A new tone each time: the same content twice would be refused as a duplicate. */
    const upload = async (seconds: number) => {
      const n = ++uploads;
      const file = await makeTone(dir, `fault-${n}`, {
        seconds,
        title: `Fault ${n}`,
        artist: 'Faults',
        album: 'Faults',
        track: n,
      });
      const started = await apiUpload(platform, artist, `fault ${n}.flac`, await readFile(file));
      uploadedTrackIds.push(started.trackId);
      return started;
    };
    /** Every track this account uploaded so far: each audit checks all of them, not only the last fault's. */
    const uploadedTrackIds: string[] = [];
    const short = 8;
    const long = 60;

    beforeAll(async () => {
      platform = platformOf();
      artist = await createAccount(platform, 'faults');
      dir = await scratchDir('faults');
    });

    async function audit(section: string, trackIds: string[], lines: string[]) {
      const result = await auditOutcome(platform, [
        { account: artist, trackIds: [...new Set([...uploadedTrackIds, ...trackIds])] },
      ]);
      expect(result.problems).toEqual([]);
      report(section, [...lines, describeAudit(result)]);
      return result;
    }

    it('a transcoder SIGKILLed mid-job: the job is redelivered and finishes once', async () => {
      const victim = await platform.startInstance('transcoder', { TRANSCODER_CONCURRENCY: '1' });
      const victimPid = victim.process.pid!;
      // Two long jobs: with one job per process each transcoder takes one.
      const jobs = [await upload(long), await upload(long)];
      const ffmpeg = await untilTranscoding(victimPid);
      const killedAt = Date.now();
      victim.process.kill('SIGKILL');
      for (const pid of ffmpeg) killIfRunning(pid);
      await victim.exited;
      const settled = await Promise.all(jobs.map((job) => settledTrack(platform, artist, job.trackId, 240_000)));
      expect(settled.map((track) => track.status)).toEqual(['ready', 'ready']);
      await audit(
        'fault: transcoder SIGKILL',
        jobs.map((job) => job.trackId),
        [
          `killed a transcoder (and its ffmpeg) mid-job; its job was redelivered and ready ${duration(Date.now() - killedAt)} later`,
        ],
      );
    });

    it('Postgres stopped under the catalog: events wait and are applied once it is back', async () => {
      const job = await upload(short);
      const during = await outage(platform.services.postgres, 'clean', async () => {
        await sleep(1_000);
        return (await platform.request('GET', `/api/tracks/${job.trackId}`, { token: artist.accessToken })).status;
      });
      const restartedAt = Date.now();
      await audit(
        'fault: Postgres stopped',
        [job.trackId],
        [
          `Postgres down ${duration(scale.outageMs)} right after an upload completed: the track query answered ${during} meanwhile; the track settled ${duration(Date.now() - restartedAt)} after the restart`,
        ],
      );
      expect(during).not.toBe(200);
      expect(during).toBeGreaterThanOrEqual(500);
    });

    it('S3 stopped during an upload and during a transcode: both end ready or failed with a reason', async () => {
      const duringUpload = outage(platform.services.s3, 'kill', async () => undefined);
      const uploaded = await upload(short);
      await duringUpload;
      const transcoder = await platform.appPid('transcoder');
      const transcoding = await upload(long);
      await untilTranscoding(transcoder);
      await outage(platform.services.s3, 'kill', async () => undefined);
      const result = await audit(
        'fault: S3 stopped',
        [uploaded.trackId, transcoding.trackId],
        [
          `S3 killed for ${duration(scale.outageMs)} while parts were being sent (the client retried), and again mid-transcode (the transcoder retried)`,
        ],
      );
      expect(result.tracks).toBe(uploadedTrackIds.length);
    });

    it('an edge killed while segments stream: players retry and get every segment once it is back', async () => {
      const track = (await settledTrack(platform, artist, (await upload(short)).trackId)).id;
      const port = await freePort();
      const edgeEnv = { EDGE_PORT: String(port), EDGE_HOST: '127.0.0.1' };
      let edge: ChildService = await platform.startInstance('edge', edgeEnv);
      const baseUrl = `http://127.0.0.1:${port}`;
      const listeners = await Promise.all(Array.from({ length: 3 }, () => createAccount(platform, 'faults-listener')));
      let streaming = true;
      let interrupted = 0;
      const figures: ListenerFigures = { segments: 0, failures: [], latenciesMs: [] };
      const players = listeners.map(async (listener, index) => {
        while (streaming) {
          await playTrack(platform, listener, track, index, figures, baseUrl).catch(async () => {
            interrupted++;
            await sleep(100);
          });
        }
        await retrying('a whole play after the edge is back', () =>
          playTrack(platform, listener, track, index, figures, baseUrl),
        );
      });
      await sleep(1_000);
      const before = figures.segments;
      edge.process.kill('SIGKILL');
      await edge.exited;
      await sleep(Math.min(scale.outageMs, 3_000));
      edge = await platform.startInstance('edge', edgeEnv);
      streaming = false;
      await Promise.all(players);
      await edge.stop('SIGTERM', 10_000);
      expect(before).toBeGreaterThan(0);
      report('fault: edge killed mid-stream', [
        `SIGKILLed an edge instance after ${before} segments; ${interrupted} play attempts failed while it was down (retried every 100 ms); each of ${listeners.length} players played the whole track again once it was restarted (${figures.segments} segments in all)`,
      ]);
    });
    it('NATS restarted: the services reconnect and uploads go on', async () => {
      const before = await upload(short);
      const stoppedAt = Date.now();
      const during = await outage(platform.services.nats, 'clean', async () => {
        const answer = await platform.request('GET', '/api/tracks?limit=1', { token: artist.accessToken });
        return answer.status;
      });
      const after = await retrying('upload after the NATS restart', () => upload(short), 60_000);
      await audit(
        'fault: NATS restart',
        [before.trackId, after.trackId],
        [
          `NATS down ${duration(scale.outageMs)}: catalog queries answered ${during} meanwhile; an upload after the restart ready within ${duration(Date.now() - stoppedAt)} of the stop`,
        ],
      );
      expect(during).toBeGreaterThanOrEqual(500);
    });
    it('Redis stopped: the edge refuses new sign-ins with 503, then recovers', async () => {
      const answers = await outage(platform.services.redis, 'clean', async () => {
        await sleep(500);
        const login = await platform.request('POST', '/api/auth/login', {
          body: { email: artist.email, password: artist.password },
        });
        const register = await platform.request('POST', '/api/auth/register', {
          body: { email: `late-${Date.now()}@system.test`, password: 'a long enough password', displayName: 'Late' },
        });
        return { login, register };
      });
      expect(answers.login.status).toBe(503);
      expect(answers.login.body.error.code).toEqual(expect.any(String));
      expect(answers.register.status).toBe(503);
      const recoveredAt = Date.now();
      const session = await retrying(
        'sign-in after Redis is back',
        () => signIn(platform, artist.email, artist.password),
        30_000,
      );
      const me = await platform.request('GET', '/api/me', { token: session.accessToken });
      expect(me.status).toBe(200);
      const stillSignedIn = await platform.request('GET', '/api/me', { token: artist.accessToken });
      expect(stillSignedIn.status).toBe(200);
      const edgeChecked = await retrying(
        "the edge's session checks after Redis is back",
        async () => {
          const answer = await platform.request('GET', '/api/tracks?mine=true', { token: session.accessToken });
          if (answer.status !== 200) throw new Error(`${answer.status} ${answer.body?.error?.message}`);
          return answer;
        },
        15_000,
      );
      expect(edgeChecked.status).toBe(200);
      report('fault: Redis stopped', [
        `Redis down ${duration(scale.outageMs)}: login ${answers.login.status} (${answers.login.body.error.code}), register ${answers.register.status}; sign-in worked again ${duration(Date.now() - recoveredAt)} after the restart, sessions kept`,
      ]);
    });
  });
}
