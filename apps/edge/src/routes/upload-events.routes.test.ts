import { describe, expect, it } from 'vitest';
import { uploadStatusOf } from './upload-events.routes.ts';

const trackId = '0f8e4a52-52d4-4d8c-a1a3-3e5f1f0d9c11';
const ownerId = '7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';

describe('uploadStatusOf', () => {
  it('reads the owner, file name and title of a completed upload as processing', () => {
    const change = uploadStatusOf('ingest.upload.completed.v1', {
      trackId,
      ownerId,
      uploadId: 'u',
      source: { filename: 'a.flac' },
      tags: { title: 'A Song' },
    });

    expect(change).toEqual({
      ownerId,
      status: { trackId, status: 'processing', filename: 'a.flac', title: 'A Song' },
    });
  });

  it('keeps the reason and the duplicate of a refused upload', () => {
    const duplicateOf = '11111111-2222-4333-8444-555555555555';
    const change = uploadStatusOf('ingest.upload.failed.v1', {
      trackId,
      ownerId,
      filename: 'a.mp3',
      reason: 'already in your library',
      duplicateOf,
    });

    expect(change?.status).toEqual({
      trackId,
      status: 'failed',
      filename: 'a.mp3',
      reason: 'already in your library',
      duplicateOf,
    });
  });

  it('leaves the owner of transcoder events to be found, and maps them to transcoding, ready and failed', () => {
    expect(uploadStatusOf('transcode.progressed.v1', { trackId, percent: 40 })).toEqual({
      ownerId: undefined,
      status: { trackId, status: 'transcoding', percent: 40 },
    });
    expect(uploadStatusOf('transcode.completed.v1', { trackId })?.status.status).toBe('ready');
    expect(uploadStatusOf('transcode.failed.v1', { trackId, reason: 'not an audio file' })?.status).toEqual({
      trackId,
      status: 'failed',
      reason: 'not an audio file',
    });
  });

  it('maps a deletion with its owner and ignores events about no upload', () => {
    expect(uploadStatusOf('catalog.track.deleted.v1', { trackId, ownerId, deletedBy: ownerId })).toEqual({
      ownerId,
      status: { trackId, status: 'deleted' },
    });
    expect(uploadStatusOf('playback.started.v1', { trackId })).toBeUndefined();
  });
});
