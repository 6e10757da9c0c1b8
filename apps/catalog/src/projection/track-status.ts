/** An outcome of the upload or transcode step, or null when its event has not arrived yet. */
export type StepOutcome = 'completed' | 'failed' | null;

/** The stored status of a track: `pending` rows hold an early transcode result and are shown nowhere. */
export type StoredTrackStatus = 'pending' | 'processing' | 'ready' | 'failed';

/**
 * The status of a track from the latest outcome of each step. It depends only on the outcomes,
 * never on the order their events arrived in.
 *
 * @example
 * trackStatus('completed', null); // 'processing'
 * trackStatus('completed', 'completed'); // 'ready'
 */
export function trackStatus(upload: StepOutcome, transcode: StepOutcome): StoredTrackStatus {
  if (upload === null) return 'pending';
  if (upload === 'failed' || transcode === 'failed') return 'failed';
  return transcode === 'completed' ? 'ready' : 'processing';
}

/**
 * The order of two events of one step: by time, then by id, so every projector picks the same latest one.
 *
 * @example
 * eventRank({ occurredAt: '2026-01-01T00:00:00.000Z', id: 'a' }) < eventRank({ occurredAt: '2026-01-02T00:00:00.000Z', id: 'a' });
 */
export function eventRank(event: { occurredAt: string; id: string }): string {
  const at = CANONICAL_TIME.test(event.occurredAt) ? event.occurredAt : new Date(event.occurredAt).toISOString();
  return `${at}|${event.id}`;
}

/** What `toISOString` gives; a time already in this form needs no parsing (ranks are computed per event). */
const CANONICAL_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
