import type { UploadStatusEvent } from '@tonearm/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, signUp, toneFlac, upload, type Listener } from './support/listener.ts';
import { startPlatform, type Platform } from './support/platform.ts';

/** An open `GET /api/uploads/events` stream collecting its `status` events. */
interface StatusStream {
  statuses: UploadStatusEvent[];
  ended: boolean;
  close(): void;
}

let platform: Platform;
let alice: Listener;
let bob: Listener;
const streams: StatusStream[] = [];

/** Opens the caller's upload stream and answers once its `open` event says it is subscribed. */
async function openStream(listener: Listener): Promise<StatusStream> {
  const controller = new AbortController();
  const response = await fetch(`${platform.edgeUrl}/api/uploads/events`, {
    headers: { authorization: `Bearer ${listener.accessToken}` },
    signal: controller.signal,
  });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('text/event-stream');
  const stream: StatusStream = { statuses: [], ended: false, close: () => controller.abort() };
  let opened: () => void = () => undefined;
  const open = new Promise<void>((resolve) => {
    opened = resolve;
  });
  void (async () => {
    let buffer = '';
    const decoder = new TextDecoder();
    try {
      for await (const chunk of response.body!) {
        buffer += decoder.decode(chunk as Uint8Array, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1] ?? '';
          if (event === 'open') opened();
          if (event === 'status') stream.statuses.push(JSON.parse(data) as UploadStatusEvent);
        }
      }
    } catch {
      // Aborted by close().
    }
    stream.ended = true;
  })();
  await open;
  streams.push(stream);
  return stream;
}

const statusesOf = (stream: StatusStream, trackId: string) =>
  stream.statuses.filter((status) => status.trackId === trackId).map((status) => status.status);

beforeAll(async () => {
  platform = await startPlatform({ readyTimeoutMs: 120_000 });
  alice = await signUp(platform);
  bob = await signUp(platform);
}, 180_000);

afterAll(async () => {
  for (const stream of streams) stream.close();
  await platform?.stop();
}, 60_000);

describe('GET /api/uploads/events', () => {
  it('refuses a caller without a token', async () => {
    expect((await platform.request('GET', '/api/uploads/events')).status).toBe(401);
  });

  it("pushes the caller's own uploads from processing to ready or failed, and never another user's", async () => {
    const aliceStream = await openStream(alice);
    const bobStream = await openStream(bob);

    const bobTrack = await upload(platform, bob, 'bob.flac', await toneFlac(2, 'Bob Tone'));
    await eventually(
      async () => statusesOf(bobStream, bobTrack),
      (statuses) => statuses.includes('ready'),
      90_000,
    );
    const aliceTrack = await upload(platform, alice, 'alice.flac', await toneFlac(2, 'Alice Tone'));
    const aliceBad = await upload(
      platform,
      alice,
      'not audio.mp3',
      Buffer.from('just some text, not a song\n'.repeat(40)),
    );
    await eventually(
      async () => [statusesOf(aliceStream, aliceTrack), statusesOf(aliceStream, aliceBad)],
      ([good, bad]) => good!.includes('ready') && bad!.includes('failed'),
      90_000,
    );

    expect(statusesOf(aliceStream, aliceTrack)[0]).toBe('processing');
    const ready = aliceStream.statuses.find((status) => status.trackId === aliceTrack && status.status === 'ready')!;
    expect(ready.track).toMatchObject({
      id: aliceTrack,
      status: 'ready',
      title: 'Alice Tone',
      owner: { id: alice.userId },
    });
    const failed = aliceStream.statuses.find((status) => status.trackId === aliceBad && status.status === 'failed')!;
    expect(failed.reason).toMatch(/\S/);
    expect(aliceStream.statuses.some((status) => status.trackId === bobTrack)).toBe(false);
    expect(bobStream.statuses.some((status) => status.trackId === aliceTrack || status.trackId === aliceBad)).toBe(
      false,
    );
  }, 180_000);
});
