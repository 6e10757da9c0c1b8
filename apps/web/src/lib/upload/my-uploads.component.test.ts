import type { Track } from '@tonearm/contracts';
import { flushSync } from 'svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readyTrack } from '../test-support/fake-media.ts';
import { MyUploads, type MyUploadsApi } from './my-uploads.svelte.ts';
import { statusStream } from '../test-support/status-stream.ts';

const first = readyTrack('00000000-0000-4000-8000-000000000041', 'First', { status: 'processing' });
const second = readyTrack('00000000-0000-4000-8000-000000000042', 'Second');
const fromCli = readyTrack('00000000-0000-4000-8000-000000000043', 'From The CLI', { status: 'processing' });

function fakeApi(list: Track[]) {
  const stream = statusStream();
  const api = {
    listTracks: vi.fn(async () => ({ items: list, nextCursor: null })),
    getTrack: vi.fn(async (id: string) => {
      if (id === fromCli.id) return fromCli;
      throw new Error('no such track');
    }),
    deleteTrack: vi.fn(async () => undefined),
    uploadEvents: vi.fn(async () => stream.body),
  };
  return { api, stream };
}

/** Waits until `check` passes, flushing Svelte's updates between tries. */
async function until(check: () => void) {
  await vi.waitFor(() => {
    flushSync();
    check();
  });
}

let uploads: MyUploads | undefined;

afterEach(() => {
  uploads?.disconnect();
  vi.restoreAllMocks();
});

describe('MyUploads', () => {
  it('turns a processing upload ready from the pushed status, without asking the list again', async () => {
    const { api, stream } = fakeApi([first, second]);
    uploads = new MyUploads(api as unknown as MyUploadsApi);
    uploads.connect();
    await uploads.load();
    stream.push('open', {});
    await until(() => expect(uploads!.live).toBe(true));

    stream.push('status', { trackId: first.id, status: 'transcoding', percent: 40 });
    await until(() => expect(uploads!.percent[first.id]).toBe(40));
    stream.push('status', { trackId: first.id, status: 'ready', track: { ...first, status: 'ready' } });

    await until(() => expect(uploads!.tracks?.map((t) => t.status)).toEqual(['ready', 'ready']));
    expect(api.listTracks).toHaveBeenCalledTimes(1);
    expect(api.uploadEvents).toHaveBeenCalledTimes(1);
  });

  it('adds an upload made elsewhere and removes a deleted one', async () => {
    const { api, stream } = fakeApi([first, second]);
    uploads = new MyUploads(api as unknown as MyUploadsApi);
    uploads.connect();
    await uploads.load();

    stream.push('status', { trackId: fromCli.id, status: 'processing', title: fromCli.title });
    stream.push('status', { trackId: second.id, status: 'deleted' });

    await until(() => expect(uploads!.tracks?.map((t) => t.title)).toEqual(['From The CLI', 'First']));
    expect(api.getTrack).toHaveBeenCalledWith(fromCli.id);
  });

  it('applies a status pushed before the first page arrived', async () => {
    const { api, stream } = fakeApi([first]);
    let answer!: (page: { items: Track[]; nextCursor: null }) => void;
    api.listTracks.mockImplementationOnce(() => new Promise((resolve) => (answer = resolve)));
    uploads = new MyUploads(api as unknown as MyUploadsApi);
    uploads.connect();
    const loading = uploads.load();

    stream.push('status', { trackId: first.id, status: 'failed', reason: 'not an audio file' });
    await until(() => expect(api.uploadEvents).toHaveBeenCalled());
    await new Promise((resolve) => setTimeout(resolve, 10));
    answer({ items: [first], nextCursor: null });
    await loading;

    expect(uploads.tracks?.map((t) => [t.status, t.error])).toEqual([['failed', 'not an audio file']]);
  });
});
