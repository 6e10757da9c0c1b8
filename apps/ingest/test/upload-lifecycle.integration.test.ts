import { RpcError } from '@tonearm/bus';
import { abortUploadRpc, completeUploadRpc, createUploadRpc, getUploadRpc, objectKeys } from '@tonearm/contracts';
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deadLetters } from '../../../packages/bus/test/bus-test-helper.ts';
import { uploadSessions } from '../src/database/schema.ts';
import { UploadSweeperService } from '../src/services/upload-sweeper.service.ts';
import { generateAudio } from './audio-fixtures.ts';
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

function sweeper(ages: { staleAfterMs: number; retryAfterMs: number }) {
  const { sessions, multipart, completion, service } = harness.ingest;
  return new UploadSweeperService({ sessions, multipart, completion, logger: service.logger, ...ages });
}

async function expectNothingLeft(trackId: string): Promise<void> {
  const { store, multipart } = harness.ingest;
  expect(await store.list(objectKeys.source(trackId))).toEqual([]);
  expect(await multipart.listOpen(objectKeys.source(trackId))).toEqual([]);
}

describe('resuming and aborting', () => {
  it('lists the parts already received and gives fresh URLs for the rest, so the upload resumes', async () => {
    const principal = newPrincipal();
    const bytes = await generateAudio('wav', { seconds: 30, sampleRate: 48_000 });
    const created = await call(harness, createUploadRpc, principal, { filename: 'resumed.wav', size: bytes.length });
    const etag1 = await putPart(created.parts[0]!.url, bytes.subarray(0, created.partSize));

    const state = await call(harness, getUploadRpc, principal, { uploadId: created.uploadId });

    expect(state).toMatchObject({ status: 'uploading', partCount: 2, partSize: created.partSize });
    expect(state.parts).toEqual([{ partNumber: 1, etag: etag1, size: created.partSize }]);
    expect(state.missingParts.map((p) => p.partNumber)).toEqual([2]);
    const etag2 = await putPart(state.missingParts[0]!.url, bytes.subarray(created.partSize));
    await call(harness, completeUploadRpc, principal, {
      uploadId: created.uploadId,
      parts: [
        { partNumber: 1, etag: state.parts[0]!.etag },
        { partNumber: 2, etag: etag2 },
      ],
    });
    const event = await waitForOutcome(harness, created.uploadId);
    expect(event.type).toBe('ingest.upload.completed.v1');
    expect(event.type === 'ingest.upload.completed.v1' && event.data.source.sha256).toBe(sha256(bytes));
  });

  it('answers a repeated completion with the same accepted answer and one outcome', async () => {
    const principal = newPrincipal();
    const { created, parts } = await sendFile(harness, principal, await generateAudio('flac'), 'twice.flac');
    const first = await call(harness, completeUploadRpc, principal, { uploadId: created.uploadId, parts });
    const second = await call(harness, completeUploadRpc, principal, { uploadId: created.uploadId, parts });
    expect(second).toEqual(first);
    await waitForOutcome(harness, created.uploadId);
    await harness.ingest.completion.idle();
    expect(await outcomesOf(harness, created.uploadId)).toHaveLength(1);
  });

  it('aborts an upload leaving no object and no multipart upload, and refuses to complete it after', async () => {
    const principal = newPrincipal();
    const bytes = await generateAudio('mp3');
    const { created, parts } = await sendFile(harness, principal, bytes, 'dropped.mp3');

    expect(await call(harness, abortUploadRpc, principal, { uploadId: created.uploadId })).toEqual({
      uploadId: created.uploadId,
      status: 'aborted',
    });

    await expectNothingLeft(created.trackId);
    const { s3UploadId } = (await harness.ingest.sessions.find(created.uploadId))!;
    expect(await harness.ingest.multipart.listParts(objectKeys.source(created.trackId), s3UploadId)).toBeUndefined();
    const state = await call(harness, getUploadRpc, principal, { uploadId: created.uploadId });
    expect(state).toMatchObject({ status: 'aborted', parts: [], missingParts: [] });
    expect(await call(harness, abortUploadRpc, principal, { uploadId: created.uploadId })).toMatchObject({
      status: 'aborted',
    });
    const error = await call(harness, completeUploadRpc, principal, { uploadId: created.uploadId, parts }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RpcError);
    expect(error).toMatchObject({ code: 'conflict', message: 'the upload was aborted; start a new one' });
    expect(await outcomesOf(harness, created.uploadId)).toEqual([]);
  });
});

describe('the sweeper', () => {
  it('aborts uploads left open longer than the stale age, and only those', async () => {
    const principal = newPrincipal();
    const { created } = await sendFile(harness, principal, await generateAudio('mp3'), 'forgotten.mp3');

    expect((await sweeper({ staleAfterMs: 3_600_000, retryAfterMs: 3_600_000 }).sweep()).expired).toBe(0);
    expect((await call(harness, getUploadRpc, principal, { uploadId: created.uploadId })).status).toBe('uploading');

    await sleep(20);
    const report = await sweeper({ staleAfterMs: 1, retryAfterMs: 3_600_000 }).sweep();

    expect(report.expired).toBeGreaterThanOrEqual(1);
    const state = await call(harness, getUploadRpc, principal, { uploadId: created.uploadId });
    expect(state).toMatchObject({
      status: 'expired',
      reason: expect.stringMatching(/^the upload was not finished within/),
    });
    await expectNothingLeft(created.trackId);
  });

  it('runs again a check whose instance died after the parts were assembled', async () => {
    const principal = newPrincipal();
    const { created, parts } = await sendFile(harness, principal, await generateAudio('opus'), 'orphan.opus');
    const session = (await harness.ingest.sessions.find(created.uploadId))!;
    await harness.ingest.multipart.complete(objectKeys.source(created.trackId), session.s3UploadId, parts);
    await harness.ingest.sessions.transition(created.uploadId, ['uploading'], { status: 'processing' });
    await sleep(20);

    const report = await sweeper({ staleAfterMs: 3_600_000, retryAfterMs: 1 }).sweep();

    expect(report.resumedChecks).toBe(1);
    expect((await waitForOutcome(harness, created.uploadId)).type).toBe('ingest.upload.completed.v1');
  });

  it('publishes again an outcome recorded but never sent, under the same event id', async () => {
    const { created } = await uploadFile(harness, newPrincipal(), await generateAudio('m4a'), 'lost.m4a');
    const sent = await waitForOutcome(harness, created.uploadId);
    await harness.ingest.completion.idle();
    await harness.ingest.sessions.db
      .update(uploadSessions)
      .set({ publishedAt: null })
      .where(eq(uploadSessions.uploadId, created.uploadId));
    await sleep(20);

    const report = await sweeper({ staleAfterMs: 3_600_000, retryAfterMs: 1 }).sweep();

    expect(report.republished).toBe(1);
    expect((await harness.ingest.sessions.find(created.uploadId))!.publishedAt).not.toBeNull();
    expect((await outcomesOf(harness, created.uploadId)).map((e) => e.id)).toEqual([sent.id]);
  });
});

describe('storage cleanup of deleted tracks', () => {
  it('leaves no cover and publishes nothing when the track is deleted while its check runs', async () => {
    const principal = newPrincipal();
    const { created, parts } = await sendFile(
      harness,
      principal,
      await generateAudio('mp3', { cover: true }),
      'gone.mp3',
    );
    const { sessions, multipart, completion, store } = harness.ingest;
    const session = (await sessions.find(created.uploadId))!;
    await multipart.complete(objectKeys.source(created.trackId), session.s3UploadId, parts);
    const processing = (await sessions.transition(created.uploadId, ['uploading'], { status: 'processing' }))!;
    await sessions.transition(created.uploadId, ['processing'], { status: 'deleted' });

    completion.start(processing);
    await completion.idle();

    expect(await store.list(objectKeys.cover(created.trackId))).toEqual([]);
    expect(await outcomesOf(harness, created.uploadId)).toEqual([]);
  });

  it('deletes every object of the track, twice without harm, and frees its content for a new upload', async () => {
    const principal = newPrincipal();
    const bytes = await generateAudio('mp3', { cover: true });
    const { created } = await uploadFile(harness, principal, bytes, 'deleted.mp3');
    expect((await waitForOutcome(harness, created.uploadId)).type).toBe('ingest.upload.completed.v1');
    const { store } = harness.ingest;
    const trackId = created.trackId;
    await store.put(objectKeys.master(trackId), '#EXTM3U\n', 'application/vnd.apple.mpegurl');
    await store.put(
      `${objectKeys.hlsPrefix(trackId)}aac-64k/seg-0.m4s`,
      new Uint8Array([1, 2, 3]),
      'video/iso.segment',
    );
    const objects = async () =>
      (await Promise.all(objectKeys.allPrefixes(trackId).map((prefix) => store.list(prefix)))).flat();
    expect(await objects()).toHaveLength(4);

    const data = { trackId, ownerId: principal.userId, deletedBy: principal.userId };
    await harness.bus.publish('catalog.track.deleted.v1', { data });
    while ((await objects()).length > 0) await sleep(100);
    const again = await harness.bus.publish('catalog.track.deleted.v1', { data });
    const consumer = harness.bus.topology.consumer('storage-cleanup');
    for (;;) {
      const info = await harness.bus.jsm.consumers.info(consumer.streamName, consumer.durable);
      if (info.ack_floor.stream_seq >= again.seq) break;
      await sleep(100);
    }

    expect(await objects()).toEqual([]);
    expect(await deadLetters(harness.bus)).toEqual([]);
    const reupload = await call(harness, createUploadRpc, principal, {
      filename: 'deleted.mp3',
      size: bytes.length,
      sha256: sha256(bytes),
    });
    expect(reupload.trackId).not.toBe(trackId);
  });
});
