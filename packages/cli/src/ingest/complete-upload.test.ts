import { describe, expect, it } from 'vitest';
import { ApiError, type ApiClient } from '../api/api-client.ts';
import { completeUpload } from './complete-upload.ts';

/** An API whose completion answers 409 and whose session is in `status`. */
function apiWithSession(status: string): ApiClient & { calls: string[] } {
  const calls: string[] = [];
  return {
    server: 'http://e',
    calls,
    async request<T>(method: string, path: string): Promise<T> {
      calls.push(`${method} ${path}`);
      if (method === 'POST') throw new ApiError(409, 'conflict', 'the upload was aborted; start a new one', undefined);
      return { status } as T;
    },
  };
}

describe('completeUpload', () => {
  it.each(['processing', 'completed'])('takes a 409 as done when the session is %s', async (status) => {
    const api = apiWithSession(status);
    await expect(completeUpload(api, 'u1', [{ partNumber: 1, etag: 'e' }])).resolves.toBeUndefined();
    expect(api.calls).toEqual(['POST /api/uploads/u1/complete', 'GET /api/uploads/u1']);
  });

  it.each(['uploading', 'aborted', 'failed'])('keeps the 409 when the session is %s', async (status) => {
    await expect(completeUpload(apiWithSession(status), 'u1', [{ partNumber: 1, etag: 'e' }])).rejects.toThrow(
      'the upload was aborted',
    );
  });
});
