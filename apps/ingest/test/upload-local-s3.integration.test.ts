import { abortUploadRpc, completeUploadRpc, createUploadRpc, getUploadRpc, objectKeys } from '@tonearm/contracts';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateAudio } from './audio-fixtures.ts';
import {
  call,
  newPrincipal,
  putPart,
  sendFile,
  startIngestHarness,
  uploadFile,
  waitForOutcome,
  type IngestHarness,
} from './ingest-test-harness.ts';

let harness: IngestHarness;

beforeAll(async () => {
  harness = await startIngestHarness({ s3: 'local' });
});

afterAll(() => harness?.stop());

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('ingest on the local s3rver, which has no ListParts nor AbortMultipartUpload', () => {
  it('completes a two-part upload with its hash and tags', async () => {
    const bytes = await generateAudio('wav', {
      seconds: 30,
      sampleRate: 48_000,
      tags: { title: 'Local', artist: 'Rver' },
    });
    const { created } = await uploadFile(harness, newPrincipal(), bytes, 'local.wav');
    expect(created.parts).toHaveLength(2);

    const event = await waitForOutcome(harness, created.uploadId);

    expect(event.type).toBe('ingest.upload.completed.v1');
    expect(event.type === 'ingest.upload.completed.v1' && event.data.source).toMatchObject({
      size: bytes.length,
      sha256: sha256(bytes),
    });
    expect(event.type === 'ingest.upload.completed.v1' && event.data.tags).toMatchObject({ title: 'Local' });
  });

  it('answers get-upload with every part still to send, since the parts cannot be listed', async () => {
    const principal = newPrincipal();
    const bytes = await generateAudio('flac');
    const created = await call(harness, createUploadRpc, principal, { filename: 'a.flac', size: bytes.length });
    await putPart(created.parts[0]!.url, bytes);

    const state = await call(harness, getUploadRpc, principal, { uploadId: created.uploadId });

    expect(state).toMatchObject({ status: 'uploading', parts: [] });
    expect(state.missingParts.map((p) => p.partNumber)).toEqual([1]);
    await call(harness, abortUploadRpc, principal, { uploadId: created.uploadId });
    expect((await call(harness, getUploadRpc, principal, { uploadId: created.uploadId })).status).toBe('aborted');
    expect(await harness.ingest.store.head(objectKeys.source(created.trackId))).toBeUndefined();
  });

  it('refuses a size mismatch with a failed event once the parts are assembled', async () => {
    const principal = newPrincipal();
    const bytes = await generateAudio('mp3');
    const { created, parts } = await sendFile(harness, principal, bytes.subarray(0, bytes.length - 10), 'cut.mp3', {
      size: bytes.length,
    });
    await call(harness, completeUploadRpc, principal, { uploadId: created.uploadId, parts });

    const event = await waitForOutcome(harness, created.uploadId);

    expect(event.type).toBe('ingest.upload.failed.v1');
    expect(event.type === 'ingest.upload.failed.v1' && event.data.reason).toBe(
      `size mismatch: ${bytes.length} bytes were declared but ${bytes.length - 10} arrived`,
    );
    expect(await harness.ingest.store.head(objectKeys.source(created.trackId))).toBeUndefined();
  });
});
