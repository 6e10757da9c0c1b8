import type { uploadStateSchema } from '@tonearm/contracts';
import type { z } from 'zod';
import { ApiError, type ApiClient } from '../api/api-client.ts';

type UploadState = z.infer<typeof uploadStateSchema>;

/**
 * Completes an upload. A completion retried after a 503 (the first one went through but its
 * answer was late) can be refused with a 409 once storage has joined the parts; the session then
 * says `processing` or `completed`, which is success, not a failure.
 */
export async function completeUpload(
  api: ApiClient,
  uploadId: string,
  parts: { partNumber: number; etag: string }[],
): Promise<void> {
  try {
    await api.request('POST', `/api/uploads/${uploadId}/complete`, { body: { parts } });
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 409)) throw error;
    const state = await api.request<UploadState>('GET', `/api/uploads/${uploadId}`);
    if (state.status !== 'processing' && state.status !== 'completed') throw error;
  }
}
