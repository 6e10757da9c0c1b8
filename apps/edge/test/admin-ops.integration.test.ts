import { randomUUID } from 'node:crypto';
import type { EventData } from '@tonearm/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, signUp, toneFlac, upload, waitUntilReady, type Listener } from './support/listener.ts';
import { startPlatform, type Platform } from './support/platform.ts';

let platform: Platform;
let admin: Listener;
let owner: Listener;
let trackId: string;

beforeAll(async () => {
  platform = await startPlatform({ readyTimeoutMs: 120_000 });
  admin = await signUp(platform); // the first account is an admin
  owner = await signUp(platform);
  trackId = await upload(platform, owner, 'journey.flac', await toneFlac(3, 'Journey Tone'));
  await waitUntilReady(platform, owner, trackId);
}, 420_000);

afterAll(async () => {
  await platform?.stop();
}, 60_000);

/** The correlation id of the upload that made `id`, as ingest stored it with the upload's completion. */
async function correlationOf(id: string): Promise<string> {
  const name = platform.bus.topology.stream('ingest').name;
  const { state } = await platform.bus.jsm.streams.info(name);
  for (let seq = state.first_seq; seq <= state.last_seq; seq++) {
    const msg = await platform.bus.jsm.streams.getMessage(name, { seq });
    const event = msg?.json<{ type: string; correlationId: string; data: { trackId?: string } }>();
    if (event?.type === 'ingest.upload.completed.v1' && event.data.trackId === id) return event.correlationId;
  }
  throw new Error(`no ingest.upload.completed.v1 stored for track ${id}`);
}

/** A dead letter as a consumer leaves it: a `playback.started.v1` for the track that the catalog never got. */
async function deadLetteredPlay(): Promise<string> {
  const play = {
    id: randomUUID(),
    type: 'playback.started.v1',
    version: 1,
    occurredAt: new Date().toISOString(),
    correlationId: randomUUID(),
    data: { trackId, userId: owner.userId, sessionId: 'ops-test', positionMs: 0 },
  };
  const data: EventData<'ops.message.dead-lettered.v1'> = {
    stream: platform.bus.topology.stream('playback').name,
    consumer: 'catalog-playback',
    subject: platform.bus.topology.subjectOf('playback.started.v1'),
    streamSequence: 1,
    deliveries: 10,
    reason: 'max-deliveries',
    error: 'the catalog database did not answer',
    originalEventId: play.id,
    original: {
      headers: { 'tonearm-correlation-id': [play.correlationId], 'tonearm-event-type': [play.type] },
      encoding: 'utf8',
      payload: JSON.stringify(play),
    },
  };
  await platform.bus.publish('ops.message.dead-lettered.v1', { data });
  return play.id;
}

const adminCalls = [
  ['GET', '/api/ops/dead-letters'],
  ['GET', '/api/ops/dead-letters/1'],
  ['POST', '/api/ops/dead-letters/1/retry'],
  ['DELETE', '/api/ops/dead-letters/1'],
  ['GET', '/api/ops/journey/some-correlation'],
] as const;

describe('operator routes of the edge', () => {
  it.each(adminCalls)('%s %s answers 401 without a token and 403 to a non-admin', async (method, path) => {
    expect((await platform.request(method, path)).status).toBe(401);
    const forbidden = await platform.request(method, path, { token: owner.accessToken });
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.error.code).toBe('forbidden');
  });

  it("follows the upload's journey through ingest, the transcoder and the catalog", async () => {
    const correlationId = await correlationOf(trackId);

    const answer = await platform.request('GET', `/api/ops/journey/${encodeURIComponent(correlationId)}`, {
      token: admin.accessToken,
    });

    expect(answer.status).toBe(200);
    expect(answer.body.correlationId).toBe(correlationId);
    const types = (answer.body.events as { type: string; correlationId: string }[]).map((e) => e.type);
    expect(types).toContain('ingest.upload.completed.v1');
    expect(types).toContain('transcode.completed.v1');
    expect(types.indexOf('ingest.upload.completed.v1')).toBeLessThan(types.indexOf('transcode.completed.v1'));
    expect(new Set(answer.body.events.map((e: { correlationId: string }) => e.correlationId))).toEqual(
      new Set([correlationId]),
    );
    const none = await platform.request('GET', '/api/ops/journey/nothing-has-this-id', { token: admin.accessToken });
    expect(none.body).toEqual({ correlationId: 'nothing-has-this-id', events: [], truncated: false });
  });

  it('lists, shows and retries a dead letter, and the retried event ends processed', async () => {
    const originalId = await deadLetteredPlay();
    const listed = await eventually(
      () => platform.request('GET', '/api/ops/dead-letters', { token: admin.accessToken }),
      (a) => a.body.items.some((l: { originalEventId: string }) => l.originalEventId === originalId),
    );
    const letter = listed.body.items.find((l: { originalEventId: string }) => l.originalEventId === originalId);
    expect(letter).toMatchObject({ consumer: 'catalog-playback', reason: 'max-deliveries', deliveries: 10 });
    const shown = await platform.request('GET', `/api/ops/dead-letters/${letter.seq}`, { token: admin.accessToken });
    expect(shown.status).toBe(200);
    expect(JSON.parse(shown.body.event.data.original.payload).id).toBe(originalId);
    const before = await platform.request('GET', `/api/tracks/${trackId}`, { token: owner.accessToken });

    const retried = await platform.request('POST', `/api/ops/dead-letters/${letter.seq}/retry`, {
      token: admin.accessToken,
    });

    expect(retried.status).toBe(200);
    expect(retried.body.stream).toBe(platform.bus.topology.stream('playback').name);
    const after = await eventually(
      () => platform.request('GET', `/api/tracks/${trackId}`, { token: owner.accessToken }),
      (a) => a.body.playCount === before.body.playCount + 1,
      15_000,
    );
    expect(after.body.playCount).toBe(before.body.playCount + 1);
    const gone = await platform.request('GET', `/api/ops/dead-letters/${letter.seq}`, { token: admin.accessToken });
    expect(gone.status).toBe(404);
    const again = await platform.request('POST', `/api/ops/dead-letters/${letter.seq}/retry`, {
      token: admin.accessToken,
    });
    expect(again.status).toBe(404);
  });

  it('drops a dead letter without putting it back, and refuses a malformed sequence', async () => {
    const originalId = await deadLetteredPlay();
    const listed = await eventually(
      () => platform.request('GET', '/api/ops/dead-letters?consumer=catalog-playback', { token: admin.accessToken }),
      (a) => a.body.items.some((l: { originalEventId: string }) => l.originalEventId === originalId),
    );
    const letter = listed.body.items.find((l: { originalEventId: string }) => l.originalEventId === originalId);

    const dropped = await platform.request('DELETE', `/api/ops/dead-letters/${letter.seq}`, {
      token: admin.accessToken,
    });

    expect(dropped.status).toBe(204);
    const list = await platform.request('GET', '/api/ops/dead-letters', { token: admin.accessToken });
    expect(list.body.items.map((l: { seq: number }) => l.seq)).not.toContain(letter.seq);
    const bad = await platform.request('GET', '/api/ops/dead-letters/abc', { token: admin.accessToken });
    expect(bad.status).toBe(400);
    const badLimit = await platform.request('GET', '/api/ops/dead-letters?limit=0', { token: admin.accessToken });
    expect(badLimit.status).toBe(400);
  });
});
