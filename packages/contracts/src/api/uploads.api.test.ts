import { describe, expect, it } from 'vitest';
import { rpcSubject } from '../rpc/rpc-definition.ts';
import {
  completeUploadRequestSchema,
  createUploadRequestSchema,
  createUploadRpc,
  MAX_UPLOAD_BYTES,
} from './uploads.api.ts';

describe('upload API schemas', () => {
  it('accepts a new upload with or without its content hash, and trims the file name', () => {
    expect(createUploadRequestSchema.parse({ filename: '  a.flac ', size: MAX_UPLOAD_BYTES })).toEqual({
      filename: 'a.flac',
      size: MAX_UPLOAD_BYTES,
    });
    expect(createUploadRequestSchema.safeParse({ filename: 'a.flac', size: 1, sha256: 'ab'.repeat(32) }).success).toBe(
      true,
    );
  });

  it('refuses a hash that is not 64 lower-case hex digits, a fractional or negative size, an empty name', () => {
    for (const bad of [
      { filename: 'a.flac', size: 1, sha256: 'AB'.repeat(32) },
      { filename: 'a.flac', size: 1, sha256: 'ab' },
      { filename: 'a.flac', size: 1.5 },
      { filename: 'a.flac', size: -1 },
      { filename: '   ', size: 1 },
    ]) {
      expect(createUploadRequestSchema.safeParse(bad).success).toBe(false);
    }
  });

  it('needs at least one part with a positive number to complete', () => {
    const uploadId = '7f1d0a52-8d2e-4a57-9f53-0d2a4f1c9b10';
    expect(completeUploadRequestSchema.safeParse({ uploadId, parts: [] }).success).toBe(false);
    expect(completeUploadRequestSchema.safeParse({ uploadId, parts: [{ partNumber: 0, etag: '"x"' }] }).success).toBe(
      false,
    );
    expect(completeUploadRequestSchema.safeParse({ uploadId, parts: [{ partNumber: 1, etag: '"x"' }] }).success).toBe(
      true,
    );
  });

  it('puts the operations on the ingest service subjects', () => {
    expect(rpcSubject('tonearm', createUploadRpc)).toBe('tonearm.rpc.ingest.create-upload');
  });
});
