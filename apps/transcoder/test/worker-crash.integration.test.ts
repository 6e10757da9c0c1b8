import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { objectKeys, type EventOf } from '@tonearm/contracts';
import type { ChildService } from '@tonearm/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseMediaPlaylist } from '../src/services/hls-playlist.ts';
import { generateSource, TranscoderHarness, type GeneratedSource } from './transcoder-harness.ts';

const ACK_WAIT_MS = 3000;
const WAIT = { timeout: 120_000, interval: 100 };

let harness: TranscoderHarness;
let workers: ChildService[];
let longSource: GeneratedSource;

beforeAll(async () => {
  harness = await TranscoderHarness.create('tx-crash', ACK_WAIT_MS);
  const env = {
    TRANSCODER_CONCURRENCY: '1',
    TRANSCODER_ACK_WAIT_MS: String(ACK_WAIT_MS),
    TRANSCODER_PROGRESS_INTERVAL_MS: '300',
  };
  workers = [await harness.startWorker(env), await harness.startWorker(env)];
  longSource = await generateSource(harness.dir, 'long', {
    format: 'flac',
    seconds: 60,
    sampleRate: 44_100,
    channels: 2,
  });
}, 60_000);

afterAll(() => harness?.close());

async function eventsOf(trackId: string, type: string) {
  return (await harness.transcodeEvents(trackId)).filter((e) => e.type === type);
}

async function completion(trackId: string) {
  await vi.waitFor(async () => expect(await eventsOf(trackId, 'transcode.completed.v1')).not.toEqual([]), WAIT);
  const events = await eventsOf(trackId, 'transcode.completed.v1');
  expect(events).toHaveLength(1);
  return events[0] as EventOf<'transcode.completed.v1'>;
}

/** Every key a track's master playlist leads to (variants, init and media segments), and the waveform. */
async function referencedKeys(trackId: string): Promise<string[]> {
  const prefix = objectKeys.hlsPrefix(trackId);
  const read = async (key: string) => Buffer.from((await harness.store.readBytes(key))!).toString('utf8');
  const master = await read(objectKeys.master(trackId));
  const keys = [objectKeys.master(trackId), objectKeys.waveform(trackId)];
  for (const uri of master.split('\n').filter((line) => line.endsWith('.m3u8'))) {
    const dir = uri.slice(0, uri.lastIndexOf('/') + 1);
    const variant = parseMediaPlaylist(await read(prefix + uri));
    keys.push(prefix + uri, prefix + dir + variant.initUri!, ...variant.segments.map((s) => prefix + dir + s.uri));
  }
  return keys.sort();
}

describe('a worker killed mid-job', () => {
  it('leaves nothing playable, and the job completes once on another worker', { timeout: 150_000 }, async () => {
    const upload = await harness.uploadFile(longSource);
    let victim: ChildService | undefined;
    await vi.waitFor(async () => {
      expect(await eventsOf(upload.trackId, 'transcode.progressed.v1')).not.toEqual([]);
      victim = workers.find((w) => w.output().includes(upload.trackId));
      expect(victim).toBeDefined();
    }, WAIT);
    if (!victim) throw new Error('no worker took the job');
    const survivor = workers.find((w) => w !== victim)!;
    await victim.stop('SIGKILL');
    expect(victim.process.signalCode).toBe('SIGKILL');
    expect(await harness.store.head(objectKeys.master(upload.trackId))).toBeUndefined();

    const completed = await completion(upload.trackId);
    expect(survivor.output()).toMatch(new RegExp(`"trackId":"${upload.trackId}"[^\\n]*"msg":"transcoded"`));
    expect(await eventsOf(upload.trackId, 'transcode.failed.v1')).toEqual([]);
    expect(completed.data.durationMs).toBeGreaterThanOrEqual(59_990);

    const spec = harness.bus.topology.consumer('transcoder');
    // The worker acknowledges just after it publishes the completion.
    await vi.waitFor(async () => {
      const info = await harness.bus.jsm.consumers.info(spec.streamName, spec.durable);
      expect(info.ack_floor.stream_seq).toBe(1);
      expect(info.num_ack_pending).toBe(0);
      expect(info.delivered).toMatchObject({ stream_seq: 1, consumer_seq: 2 });
    }, WAIT);

    const stored = (await harness.store.list(objectKeys.hlsPrefix(upload.trackId))).sort();
    expect(stored).toEqual(await referencedKeys(upload.trackId));

    // The same source uninterrupted, as another track, makes the same media byte for byte.
    const again = await harness.uploadFile(longSource);
    const uninterrupted = await completion(again.trackId);
    expect({ ...uninterrupted.data, trackId: undefined }).toEqual({
      ...JSON.parse(JSON.stringify(completed.data).replaceAll(upload.trackId, again.trackId)),
      trackId: undefined,
    });
    const first = await harness.downloadHls(upload.trackId);
    const second = await harness.downloadHls(again.trackId);
    expect(second.keys.map((k) => k.replace(again.trackId, upload.trackId))).toEqual(first.keys);
    for (const key of first.keys.filter((k) => k.endsWith('.m4s')).slice(0, 6)) {
      const file = key.slice(objectKeys.hlsPrefix(upload.trackId).length);
      expect((await readFile(join(second.dir, file))).equals(await readFile(join(first.dir, file)))).toBe(true);
    }
  });

  it('publishes one completion when a finished job is delivered again', { timeout: 120_000 }, async () => {
    const short = await generateSource(harness.dir, 'short', {
      format: 'wav',
      seconds: 3,
      sampleRate: 48_000,
      channels: 2,
    });
    const upload = await harness.uploadFile(short);
    const first = await completion(upload.trackId);
    const keys = (await harness.store.list(objectKeys.hlsPrefix(upload.trackId))).sort();

    const { seq } = await harness.bus.publish('ingest.upload.completed.v1', { data: upload });
    const spec = harness.bus.topology.consumer('transcoder');
    await vi.waitFor(async () => {
      const info = await harness.bus.jsm.consumers.info(spec.streamName, spec.durable);
      expect(info.ack_floor.stream_seq).toBeGreaterThanOrEqual(seq);
      expect(info.num_ack_pending + info.num_pending).toBe(0);
    }, WAIT);

    const completions = await eventsOf(upload.trackId, 'transcode.completed.v1');
    expect(completions).toHaveLength(1);
    expect(completions[0]!.id).toBe(first.id);
    expect((await harness.store.list(objectKeys.hlsPrefix(upload.trackId))).sort()).toEqual(keys);
  });
});
