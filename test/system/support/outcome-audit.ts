import type { StreamKey } from '@tonearm/contracts';
import { storedMessages } from '../../../packages/bus/test/bus-test-helper.ts';
import { settledTrack, type Account, type TrackAnswer } from './clients.ts';
import type { SystemPlatform } from './system-platform.ts';

/** The uploads one account started, by track id. */
export interface StartedUploads {
  account: Account;
  trackIds: readonly string[];
}

/** What the audit found; `problems` is empty when everything held. */
export interface AuditResult {
  tracks: number;
  ready: number;
  failed: { trackId: string; reason: string }[];
  /** Tracks whose transcode ended more than once on the stream (a redelivered job), applied once by the catalog. */
  repeatedOutcomes: number;
  events: Record<string, number>;
  problems: string[];
}

/** Every event of a stream as `{type, trackId}`. */
async function streamEvents(platform: SystemPlatform, stream: StreamKey) {
  const messages = await storedMessages(platform.bus, stream);
  return messages.map((message) => {
    const event = message.json<{ type: string; data: { trackId?: string } }>();
    return { type: event.type, trackId: event.data.trackId };
  });
}

/** Every track of the account the catalog lists as its own, page by page. */
async function ownTracks(platform: SystemPlatform, account: Account): Promise<TrackAnswer[]> {
  const tracks: TrackAnswer[] = [];
  let cursor: string | null = null;
  do {
    const query: string = `/api/tracks?mine=true&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const page = await platform.request('GET', query, { token: account.accessToken });
    if (page.status !== 200) throw new Error(`GET ${query} answered ${page.status}: ${page.text}`);
    tracks.push(...(page.body.items as TrackAnswer[]));
    cursor = page.body.nextCursor as string | null;
  } while (cursor);
  return tracks;
}

/**
 * Checks the outcome after a scenario: every upload started ends ready or failed with a reason;
 * each account's own tracks in the catalog are exactly its uploads, each once; on the streams each
 * upload was announced exactly once and its transcode ended (completed or failed), and the
 * catalog's status agrees with how it ended.
 *
 * @example
 * const audit = await auditOutcome(platform, [{ account, trackIds }]);
 * expect(audit.problems).toEqual([]);
 */
export async function auditOutcome(
  platform: SystemPlatform,
  started: readonly StartedUploads[],
  timeoutMs = 180_000,
): Promise<AuditResult> {
  const problems: string[] = [];
  const settled = new Map<string, TrackAnswer>();
  for (const { account, trackIds } of started) {
    const answers = await Promise.all(trackIds.map((id) => settledTrack(platform, account, id, timeoutMs)));
    for (const answer of answers) settled.set(answer.id, answer);
    const listed = await ownTracks(platform, account);
    const listedIds = listed.map((track) => track.id);
    const duplicates = listedIds.filter((id, index) => listedIds.indexOf(id) !== index);
    if (duplicates.length > 0) problems.push(`${account.email}: listed more than once: ${duplicates.join(', ')}`);
    const missing = trackIds.filter((id) => !listedIds.includes(id));
    if (missing.length > 0) problems.push(`${account.email}: uploads missing from the catalog: ${missing.join(', ')}`);
    const extra = listedIds.filter((id) => !trackIds.includes(id));
    if (extra.length > 0) problems.push(`${account.email}: tracks nobody uploaded: ${extra.join(', ')}`);
  }
  const failed = [...settled.values()].filter((track) => track.status === 'failed');
  for (const track of failed) if (!track.error) problems.push(`track ${track.id} failed with no reason`);

  const events = [...(await streamEvents(platform, 'ingest')), ...(await streamEvents(platform, 'transcode'))];
  const counts: Record<string, number> = {};
  for (const event of events) counts[event.type] = (counts[event.type] ?? 0) + 1;
  let repeatedOutcomes = 0;
  for (const [trackId, track] of settled) {
    const of = (type: string) => events.filter((event) => event.type === type && event.trackId === trackId).length;
    const announced = of('ingest.upload.completed.v1');
    const completed = of('transcode.completed.v1');
    const transcodeFailed = of('transcode.failed.v1');
    const refused = of('ingest.upload.failed.v1');
    if (announced + refused !== 1)
      problems.push(`track ${trackId}: announced ${announced} times, refused ${refused} times`);
    if (completed + transcodeFailed > 1) repeatedOutcomes++;
    if (track.status === 'ready' && completed === 0)
      problems.push(`track ${trackId} ready with no transcode.completed`);
    if (track.status === 'failed' && transcodeFailed + refused === 0) {
      problems.push(`track ${trackId} failed with no failure event`);
    }
    if (announced === 1 && completed + transcodeFailed === 0)
      problems.push(`track ${trackId}: its transcode never ended`);
  }
  return {
    tracks: settled.size,
    ready: [...settled.values()].filter((track) => track.status === 'ready').length,
    failed: failed.map((track) => ({ trackId: track.id, reason: track.error ?? '' })),
    repeatedOutcomes,
    events: counts,
    problems,
  };
}

/** One line of figures about an audit. */
export function describeAudit(audit: AuditResult): string {
  const events = Object.entries(audit.events)
    .filter(([type]) => !type.includes('progressed'))
    .map(([type, count]) => `${type} ${count}`)
    .join(', ');
  return `${audit.tracks} uploads: ${audit.ready} ready, ${audit.failed.length} failed; ${audit.repeatedOutcomes} redelivered transcodes applied once; events: ${events}`;
}
