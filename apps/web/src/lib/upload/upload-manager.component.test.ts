import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiRequestError } from '../api/api-error.ts';
import type { ApiClient } from '../api/api-client.ts';
import { uploadKey } from './resume-store.ts';
import { UploadManager } from './upload-manager.svelte.ts';
import { statusStream } from '../test-support/status-stream.ts';

const trackId = '0f8e4a52-52d4-4d8c-a1a3-3e5f1f0d9c11';
const uploadId = '7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const partSize = 4;
const bytes = 'ten bytes!';
const parts = [1, 2, 3].map((partNumber) => ({ partNumber, url: `https://s3.test/part/${partNumber}` }));

/** The URLs the fake XMLHttpRequest was asked to PUT, in order. */
let puts: string[] = [];

/** An XMLHttpRequest that takes every PUT at once, as the storage would. */
class FakeRequest {
  status = 0;
  upload: { onprogress: ((event: { loaded: number }) => void) | null } = { onprogress: null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;
  #url = '';
  open(_method: string, url: string) {
    this.#url = url;
  }
  send(body: Blob) {
    puts.push(this.#url);
    setTimeout(() => {
      this.upload.onprogress?.({ loaded: body.size });
      this.status = 200;
      this.onload?.();
    });
  }
  abort() {
    this.onabort?.();
  }
}

function fakeApi(overrides: Partial<Record<keyof ApiClient, unknown>> = {}) {
  const stream = statusStream();
  const base = {
    createUpload: vi.fn(async () => ({ uploadId, trackId, partSize, parts })),
    getUpload: vi.fn(async () => ({
      uploadId,
      trackId,
      status: 'uploading',
      partSize,
      parts: parts.map(({ partNumber }) => ({ partNumber, etag: `"e${partNumber}"`, size: partSize })),
      missingParts: [] as { partNumber: number; url: string }[],
    })),
    completeUpload: vi.fn(async () => ({ trackId, status: 'processing' })),
    abortUpload: vi.fn(async () => undefined),
    uploadEvents: vi.fn(async () => stream.body),
  };
  return { api: { ...base, ...overrides } as typeof base, stream };
}

/** localStorage as a Map. */
function memoryStorage() {
  const items = new Map<string, string>();
  return {
    items,
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, value),
    removeItem: (key: string) => void items.delete(key),
  };
}

const file = () => new File([bytes], 'song.flac', { type: 'audio/flac', lastModified: 1000 });

beforeEach(() => {
  puts = [];
  vi.stubGlobal('XMLHttpRequest', FakeRequest);
});

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('UploadManager', () => {
  it('hashes, sends every part, completes with the ETags the server lists, then follows the pushed status', async () => {
    const { api, stream } = fakeApi();
    const sut = new UploadManager(api as unknown as ApiClient, memoryStorage());
    sut.connect();
    stream.push('open', {});

    sut.add([file()]);

    await vi.waitFor(() => expect(sut.items[0]!.phase).toBe('processing'));
    expect(api.createUpload).toHaveBeenCalledWith({
      filename: 'song.flac',
      size: 10,
      contentType: 'audio/flac',
      sha256: createHash('sha256').update(bytes).digest('hex'),
    });
    expect([...puts].sort()).toEqual(parts.map((part) => part.url));
    expect(api.completeUpload).toHaveBeenCalledWith(uploadId, [
      { partNumber: 1, etag: '"e1"' },
      { partNumber: 2, etag: '"e2"' },
      { partNumber: 3, etag: '"e3"' },
    ]);
    expect(sut.items[0]!.sent).toBe(10);
    expect(sut.overall.fraction).toBe(1);
    expect(sut.live).toBe(true);

    stream.push('status', { trackId, status: 'ready', title: 'A Song' });

    await vi.waitFor(() => expect(sut.items[0]).toMatchObject({ phase: 'ready', title: 'A Song' }));
    sut.disconnect();
  });

  it('says a file already in the library is a duplicate and sends nothing', async () => {
    const conflict = new ApiRequestError('conflict', 409, 'already there', { details: { trackId } });
    const { api } = fakeApi({ createUpload: vi.fn(async () => Promise.reject(conflict)) });
    const sut = new UploadManager(api as unknown as ApiClient, memoryStorage());

    sut.add([file()]);

    await vi.waitFor(() => expect(sut.items[0]!.phase).toBe('duplicate'));
    expect(sut.items[0]!.duplicateOf).toBe(trackId);
    expect(puts).toEqual([]);
  });

  it('resumes the session kept for the same file, sending only the missing parts', async () => {
    const storage = memoryStorage();
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    storage.setItem(
      uploadKey({ name: 'song.flac', size: 10, lastModified: 1000 }),
      JSON.stringify({ uploadId, trackId, partSize, sha256, savedAt: Date.now() }),
    );
    const { api } = fakeApi();
    api.getUpload.mockResolvedValueOnce({
      uploadId,
      trackId,
      status: 'uploading',
      partSize,
      parts: [{ partNumber: 1, etag: '"e1"', size: partSize }],
      missingParts: parts.slice(1),
    });
    const sut = new UploadManager(api as unknown as ApiClient, storage);

    sut.add([file()]);

    await vi.waitFor(() => expect(sut.items[0]!.phase).toBe('processing'));
    expect(api.createUpload).not.toHaveBeenCalled();
    expect(sut.items[0]!.resumed).toBe(true);
    expect([...puts].sort()).toEqual(parts.slice(1).map((part) => part.url));
    expect(storage.items.size).toBe(0);
  });

  it('aborts a session that was still being opened when the file was cancelled, and keeps nothing to resume', async () => {
    let open!: (created: { uploadId: string; trackId: string; partSize: number; parts: typeof parts }) => void;
    const { api } = fakeApi({ createUpload: vi.fn(() => new Promise((resolve) => (open = resolve))) });
    const storage = memoryStorage();
    const sut = new UploadManager(api as unknown as ApiClient, storage);
    sut.add([file()]);
    await vi.waitFor(() => expect(api.createUpload).toHaveBeenCalled());

    await sut.cancel(sut.items[0]!.key);
    open({ uploadId, trackId, partSize, parts });

    await vi.waitFor(() => expect(api.abortUpload).toHaveBeenCalledWith(uploadId));
    expect(sut.items[0]!.phase).toBe('cancelled');
    expect(puts).toEqual([]);
    expect(storage.items.size).toBe(0);
  });

  it('leaves out files that are not audio', () => {
    const { api } = fakeApi();
    const sut = new UploadManager(api as unknown as ApiClient, memoryStorage());

    expect(sut.add([new File(['x'], 'cover.jpg', { type: 'image/jpeg' })])).toEqual({ added: 0, skipped: 1 });
    expect(sut.items).toEqual([]);
  });
});
