import { RpcError, putSetting } from '@tonearm/bus';
import {
  abortUploadRpc,
  completeUploadRpc,
  createUploadRpc,
  getUploadRpc,
  MAX_UPLOAD_BYTES,
  objectKeys,
} from '@tonearm/contracts';
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateAudio, tinyZip } from './audio-fixtures.ts';
import {
  call,
  newPrincipal,
  outcomesOf,
  putPart,
  sendFile,
  startIngestHarness,
  uploadFile,
  waitForOutcome,
  type IngestHarness,
} from './ingest-test-harness.ts';

let harness: IngestHarness;

beforeAll(async () => {
  harness = await startIngestHarness();
});

afterAll(() => harness?.stop());

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

async function rpcError(promise: Promise<unknown>): Promise<RpcError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RpcError);
  return error as RpcError;
}

/** Nothing of the track is left: no source, no cover, no open multipart upload. */
async function expectNothingLeft(trackId: string): Promise<void> {
  const { store, multipart } = harness.ingest;
  expect(await store.list(objectKeys.source(trackId))).toEqual([]);
  expect(await store.list(objectKeys.cover(trackId))).toEqual([]);
  expect(await multipart.listOpen(objectKeys.source(trackId))).toEqual([]);
}

async function expectRefused(bytes: Uint8Array, filename: string, reason: RegExp) {
  const { created, completed } = await uploadFile(harness, newPrincipal(), bytes, filename);
  expect(completed.status).toBe('processing');
  const event = await waitForOutcome(harness, created.uploadId);
  expect(event.type).toBe('ingest.upload.failed.v1');
  expect(event.data).toMatchObject({ trackId: created.trackId, filename });
  if (event.type === 'ingest.upload.failed.v1') expect(event.data.reason).toMatch(reason);
  await expectNothingLeft(created.trackId);
  return { created, event };
}

describe('files that are not audio', () => {
  it('refuses a text file renamed .mp3 as not an audio file', async () => {
    await expectRefused(
      Buffer.from('Dear diary, today I renamed a text file.\n'.repeat(20)),
      'song.mp3',
      /^not an audio file/,
    );
  });

  it('refuses a zip archive, naming what it is', async () => {
    await expectRefused(tinyZip(), 'album.flac', /^not an audio file: it is a zip archive$/);
  });

  it('refuses an empty file when the upload is opened, leaving nothing behind', async () => {
    const principal = newPrincipal();
    const openBefore = await harness.ingest.multipart.listOpen('sources/');
    const error = await rpcError(call(harness, createUploadRpc, principal, { filename: 'empty.mp3', size: 0 }));
    expect(error).toMatchObject({ code: 'invalid_request', message: 'the file is empty' });
    expect(await harness.ingest.multipart.listOpen('sources/')).toEqual(openBefore);
  });

  it('refuses a FLAC cut inside its header, which ffprobe cannot read', async () => {
    const flac = await generateAudio('flac');
    await expectRefused(flac.subarray(0, 30), 'cut.flac', /^not a readable audio file: it is truncated or damaged/);
  });

  it('passes a FLAC whose header is whole but whose audio is cut short on to the transcoder', async () => {
    const flac = await generateAudio('flac', { seconds: 3 });
    const { created } = await uploadFile(
      harness,
      newPrincipal(),
      flac.subarray(0, Math.floor(flac.length * 0.6)),
      'short.flac',
    );
    const event = await waitForOutcome(harness, created.uploadId);
    expect(event.type).toBe('ingest.upload.completed.v1');
  });
});

describe('uploads that do not add up', () => {
  it('refuses a size mismatch at completion, with a failed event and nothing left', async () => {
    const principal = newPrincipal();
    const bytes = await generateAudio('mp3');
    const { created, parts } = await sendFile(harness, principal, bytes.subarray(0, bytes.length - 100), 'short.mp3', {
      size: bytes.length,
    });

    const error = await rpcError(call(harness, completeUploadRpc, principal, { uploadId: created.uploadId, parts }));

    expect(error.code).toBe('invalid_request');
    expect(error.message).toBe(`size mismatch: ${bytes.length} bytes were declared but ${bytes.length - 100} arrived`);
    const event = await waitForOutcome(harness, created.uploadId);
    expect(event.type).toBe('ingest.upload.failed.v1');
    await expectNothingLeft(created.trackId);
    const state = await call(harness, getUploadRpc, principal, { uploadId: created.uploadId });
    expect(state).toMatchObject({ status: 'failed', reason: error.message });
  });

  it('refuses to complete with parts missing, keeps the upload resumable, and aborting leaves nothing', async () => {
    const principal = newPrincipal();
    const bytes = await generateAudio('wav', { seconds: 30, sampleRate: 48_000 });
    const created = await call(harness, createUploadRpc, principal, { filename: 'half.wav', size: bytes.length });
    expect(created.parts).toHaveLength(2);
    const etag = await putPart(created.parts[0]!.url, bytes.subarray(0, created.partSize));

    const unlisted = await rpcError(
      call(harness, completeUploadRpc, principal, { uploadId: created.uploadId, parts: [{ partNumber: 1, etag }] }),
    );
    expect(unlisted).toMatchObject({ code: 'invalid_request', message: 'parts missing: 2 of 2' });
    const unsent = await rpcError(
      call(harness, completeUploadRpc, principal, {
        uploadId: created.uploadId,
        parts: [
          { partNumber: 1, etag },
          { partNumber: 2, etag: '"0123"' },
        ],
      }),
    );
    expect(unsent).toMatchObject({
      code: 'invalid_request',
      message: 'parts missing: 2 never arrived; send them again',
    });
    expect((await call(harness, getUploadRpc, principal, { uploadId: created.uploadId })).status).toBe('uploading');

    await call(harness, abortUploadRpc, principal, { uploadId: created.uploadId });

    await expectNothingLeft(created.trackId);
    expect(await outcomesOf(harness, created.uploadId)).toEqual([]);
  });

  it('refuses a file over 4 GiB, and over a lowered upload.maxBytes setting, with 413', async () => {
    const principal = newPrincipal();
    const tooBig = await rpcError(
      call(harness, createUploadRpc, principal, { filename: 'huge.wav', size: MAX_UPLOAD_BYTES + 1 }),
    );
    expect(tooBig).toMatchObject({ code: 'payload_too_large', details: { maxBytes: MAX_UPLOAD_BYTES } });

    await putSetting(harness.bus, 'upload.maxBytes', 1000);
    while (harness.ingest.service.settings.get('upload.maxBytes') !== 1000) await sleep(50);
    try {
      const overSetting = await rpcError(
        call(harness, createUploadRpc, principal, { filename: 'big.mp3', size: 1001 }),
      );
      expect(overSetting).toMatchObject({
        code: 'payload_too_large',
        message: 'the file is 1001 bytes; the largest upload accepted is 1000 bytes',
      });
      const accepted = await call(harness, createUploadRpc, principal, { filename: 'small.mp3', size: 1000 });
      await call(harness, abortUploadRpc, principal, { uploadId: accepted.uploadId });
    } finally {
      await putSetting(harness.bus, 'upload.maxBytes', MAX_UPLOAD_BYTES);
      while (harness.ingest.service.settings.get('upload.maxBytes') !== MAX_UPLOAD_BYTES) await sleep(50);
    }
  });
});

describe('the upload rate limit', () => {
  it('answers 429 with a retry delay once a user opened ratelimit.upload sessions in its window', async () => {
    const principal = newPrincipal();
    await putSetting(harness.bus, 'ratelimit.upload', { limit: 2, windowSeconds: 600 });
    while (harness.ingest.service.settings.get('ratelimit.upload').limit !== 2) await sleep(50);
    try {
      for (const name of ['one.mp3', 'two.mp3']) {
        const created = await call(harness, createUploadRpc, principal, { filename: name, size: 100 });
        await call(harness, abortUploadRpc, principal, { uploadId: created.uploadId });
      }

      const error = await rpcError(call(harness, createUploadRpc, principal, { filename: 'three.mp3', size: 100 }));

      expect(error).toMatchObject({
        code: 'rate_limited',
        message: 'you opened 2 uploads in the last 600 seconds; the limit is 2',
      });
      expect((error.details as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThan(500);
      const other = await call(harness, createUploadRpc, newPrincipal(), { filename: 'theirs.mp3', size: 100 });
      expect(other.parts).toHaveLength(1);
    } finally {
      await putSetting(harness.bus, 'ratelimit.upload', { limit: 600, windowSeconds: 3600 });
      while (harness.ingest.service.settings.get('ratelimit.upload').limit !== 600) await sleep(50);
    }
  });
});

describe('ownership', () => {
  it("answers not_found for another user's upload on every operation, and leaves it intact", async () => {
    const owner = newPrincipal();
    const stranger = newPrincipal();
    const bytes = await generateAudio('opus');
    const { created, parts } = await sendFile(harness, owner, bytes, 'mine.opus');

    const attempts = [
      () => call(harness, getUploadRpc, stranger, { uploadId: created.uploadId }),
      () => call(harness, completeUploadRpc, stranger, { uploadId: created.uploadId, parts }),
      () => call(harness, abortUploadRpc, stranger, { uploadId: created.uploadId }),
    ];
    for (const attempt of attempts) {
      expect(await rpcError(attempt())).toMatchObject({ code: 'not_found', message: 'no such upload' });
    }

    const state = await call(harness, getUploadRpc, owner, { uploadId: created.uploadId });
    expect(state.parts.map((p) => p.partNumber)).toEqual([1]);
    await call(harness, completeUploadRpc, owner, { uploadId: created.uploadId, parts });
    expect((await waitForOutcome(harness, created.uploadId)).type).toBe('ingest.upload.completed.v1');
  });
});

describe('duplicates of the owner’s own content', () => {
  it('answers 409 with the existing track when the declared sha256 is already in the library', async () => {
    const principal = newPrincipal();
    const bytes = await generateAudio('m4a', { seconds: 2 });
    const first = await uploadFile(harness, principal, bytes, 'first.m4a');
    expect((await waitForOutcome(harness, first.created.uploadId)).type).toBe('ingest.upload.completed.v1');

    const error = await rpcError(
      call(harness, createUploadRpc, principal, { filename: 'again.m4a', size: bytes.length, sha256: sha256(bytes) }),
    );

    expect(error).toMatchObject({ code: 'conflict', details: { trackId: first.created.trackId } });
    const other = await call(harness, createUploadRpc, newPrincipal(), {
      filename: 'theirs.m4a',
      size: bytes.length,
      sha256: sha256(bytes),
    });
    expect(other.trackId).not.toBe(first.created.trackId);
  });

  it('answers 409 at completion when the same file finished in another session meanwhile', async () => {
    const principal = newPrincipal();
    const bytes = await generateAudio('vorbis', { seconds: 2 });
    const a = await sendFile(harness, principal, bytes, 'a.ogg', { sha256: sha256(bytes) });
    const b = await sendFile(harness, principal, bytes, 'b.ogg', { sha256: sha256(bytes) });
    await call(harness, completeUploadRpc, principal, { uploadId: a.created.uploadId, parts: a.parts });
    expect((await waitForOutcome(harness, a.created.uploadId)).type).toBe('ingest.upload.completed.v1');

    const error = await rpcError(
      call(harness, completeUploadRpc, principal, { uploadId: b.created.uploadId, parts: b.parts }),
    );

    expect(error).toMatchObject({ code: 'conflict', details: { trackId: a.created.trackId } });
    await expectNothingLeft(b.created.trackId);
  });

  it('refuses an undeclared duplicate once hashed, naming the existing track', async () => {
    const principal = newPrincipal();
    const bytes = await generateAudio('aiff');
    const first = await uploadFile(harness, principal, bytes, 'one.aiff');
    expect((await waitForOutcome(harness, first.created.uploadId)).type).toBe('ingest.upload.completed.v1');

    const second = await uploadFile(harness, principal, bytes, 'two.aiff');
    const event = await waitForOutcome(harness, second.created.uploadId);

    expect(event.type).toBe('ingest.upload.failed.v1');
    expect(event.data).toMatchObject({
      reason: `this file is already in your library (track ${first.created.trackId})`,
      duplicateOf: first.created.trackId,
    });
    await expectNothingLeft(second.created.trackId);
    expect(await harness.ingest.store.head(objectKeys.source(first.created.trackId))).toBeDefined();
  });
});
