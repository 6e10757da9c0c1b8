import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { randomBytes, randomUUID } from 'node:crypto';
import { objectKeys } from '@tonearm/contracts';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { deadLetters } from '../../../packages/bus/test/bus-test-helper.ts';
import { generateSource, TranscoderHarness } from './transcoder-harness.ts';

const run = promisify(execFile);
const WAIT = { timeout: 90_000, interval: 250 };

let harness: TranscoderHarness;
let opsUrl: string;

beforeAll(async () => {
  harness = await TranscoderHarness.create('tx-refusals');
  opsUrl = (await harness.startWorker({ TRANSCODER_CONCURRENCY: '2' })).opsUrl;
});

afterAll(() => harness?.close());

async function failure(trackId: string) {
  let events: Awaited<ReturnType<TranscoderHarness['transcodeEvents']>> = [];
  await vi.waitFor(async () => {
    // A slow machine may report progress on a source before refusing it; the outcome is what counts.
    events = (await harness.transcodeEvents(trackId)).filter((e) => e.type !== 'transcode.progressed.v1');
    expect(events.length).toBeGreaterThan(0);
  }, WAIT);
  expect(events.map((e) => e.type)).toEqual(['transcode.failed.v1']);
  return events[0]!.data as { trackId: string; reason: string };
}

describe('a source that is not usable audio', () => {
  const refused: string[] = [];

  it('ends a text file renamed .mp3 with "not an audio file"', async () => {
    const text = Buffer.from('These are my liner notes, not a song.\n'.repeat(50));
    const upload = await harness.upload(text, { filename: 'song.mp3', contentType: 'audio/mpeg' });
    refused.push(upload.trackId);
    expect(await failure(upload.trackId)).toEqual({ trackId: upload.trackId, reason: 'not an audio file' });
  });

  it('ends an empty file with "the file is empty"', async () => {
    const upload = await harness.upload(new Uint8Array(0), { filename: 'empty.flac', contentType: 'audio/flac' });
    refused.push(upload.trackId);
    expect(await failure(upload.trackId)).toEqual({ trackId: upload.trackId, reason: 'the file is empty' });
  });

  it('ends a zip archive with "not an audio file"', async () => {
    const notes = join(harness.dir, 'notes.txt');
    await writeFile(notes, 'liner notes\n'.repeat(100));
    const zip = join(harness.dir, 'album.zip');
    await run('zip', ['-q', '-j', zip, notes]);
    const upload = await harness.upload(await readFile(zip), { filename: 'album.mp3', contentType: 'audio/mpeg' });
    refused.push(upload.trackId);
    expect(await failure(upload.trackId)).toEqual({ trackId: upload.trackId, reason: 'not an audio file' });
  });

  it('ends a FLAC cut off in the middle with where it stops', async () => {
    const source = await generateSource(harness.dir, 'cut', {
      format: 'flac',
      seconds: 20,
      sampleRate: 44_100,
      channels: 2,
    });
    const bytes = await readFile(source.path);
    const upload = await harness.upload(bytes.subarray(0, Math.floor(bytes.length * 0.4)), source);
    refused.push(upload.trackId);
    const { reason } = await failure(upload.trackId);
    expect(reason).toMatch(/^the audio stream is truncated at 0:0[5-9] \(the file says 0:20\)$/);
    expect(await harness.store.head(objectKeys.master(upload.trackId))).toBeUndefined();
  });

  it('ends a job whose source object is gone with a reason, once', async () => {
    const trackId = randomUUID();
    await harness.bus.publish('ingest.upload.completed.v1', {
      data: {
        trackId,
        uploadId: 'upload-gone',
        ownerId: randomUUID(),
        source: {
          key: objectKeys.source(trackId),
          filename: 'gone.flac',
          size: 10,
          sha256: randomBytes(32).toString('hex'),
          contentType: 'audio/flac',
        },
        tags: {
          title: 'Gone',
          artist: 'Nobody',
          album: null,
          albumArtist: null,
          trackNumber: null,
          discNumber: null,
          year: null,
          genre: null,
        },
        cover: null,
      },
    });
    refused.push(trackId);
    expect((await failure(trackId)).reason).toBe('the uploaded file is no longer in storage');
  });

  it('delivers each refused job once: no redelivery, nothing pending, no dead letter', async () => {
    const spec = harness.bus.topology.consumer('transcoder');
    // A worker acknowledges just after it publishes the failure, so the last ack may still be on its way.
    await vi.waitFor(async () => {
      const info = await harness.bus.jsm.consumers.info(spec.streamName, spec.durable);
      expect(info.num_ack_pending).toBe(0);
      expect(info.num_pending).toBe(0);
      expect(info.delivered.consumer_seq).toBe(refused.length);
      expect(info.num_redelivered).toBe(0);
    }, WAIT);
    expect(await deadLetters(harness.bus)).toEqual([]);
    for (const trackId of refused) expect(await harness.store.list(objectKeys.hlsPrefix(trackId))).toEqual([]);

    const metrics = await (await fetch(`${opsUrl}/metrics`)).text();
    expect(metrics).toMatch(
      new RegExp(`^transcode_jobs_total\\{[^}]*outcome="failed"[^}]*\\} ${refused.length}$`, 'm'),
    );
  });
});
