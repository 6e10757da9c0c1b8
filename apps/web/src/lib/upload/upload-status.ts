import type { UploadStatusEvent } from '@tonearm/contracts';

/** Where one file on the upload page is, from choosing it to playable. */
export type UploadPhase =
  | 'queued'
  | 'hashing'
  | 'uploading'
  | 'completing'
  | 'processing'
  | 'transcoding'
  | 'ready'
  | 'failed'
  | 'duplicate'
  | 'cancelled'
  | 'deleted';

/** The part of a file's state the pushed statuses change. */
export interface UploadStatusState {
  phase: UploadPhase;
  reason?: string;
  /** Transcoding progress, 0 to 100. */
  percent?: number;
  title?: string;
}

const rank: Record<UploadPhase, number> = {
  queued: 0,
  hashing: 1,
  uploading: 2,
  completing: 3,
  processing: 4,
  transcoding: 5,
  ready: 6,
  failed: 6,
  duplicate: 6,
  cancelled: 6,
  deleted: 7,
};

/** True once a file will not change any more on its own. */
export function isFinal(phase: UploadPhase): boolean {
  return rank[phase] >= 6;
}

/**
 * The phase after `next` happened: phases only move forward, so a late "processing" or a progress
 * event cannot undo "ready", and nothing but a deletion follows an outcome.
 *
 * @example
 * advance('ready', 'transcoding') // 'ready'
 */
export function advance(current: UploadPhase, next: UploadPhase): UploadPhase {
  if (next === 'deleted') return 'deleted';
  return rank[next] > rank[current] || (next === 'transcoding' && current === 'transcoding') ? next : current;
}

/**
 * A file's state after a pushed status of its track.
 *
 * @example
 * applyStatus({ phase: 'processing' }, { trackId, status: 'failed', reason: 'not an audio file' })
 * // { phase: 'failed', reason: 'not an audio file' }
 */
export function applyStatus(state: UploadStatusState, event: UploadStatusEvent): UploadStatusState {
  const phase = advance(state.phase, event.status);
  if (phase === state.phase && phase !== 'transcoding') return state;
  return {
    ...state,
    phase,
    ...(event.reason !== undefined ? { reason: event.reason } : {}),
    ...(event.percent !== undefined ? { percent: event.percent } : {}),
    ...(event.title !== undefined ? { title: event.title } : {}),
  };
}

/** What a phase is called on the page. */
export const phaseLabels: Record<UploadPhase, string> = {
  queued: 'Waiting',
  hashing: 'Checking',
  uploading: 'Uploading',
  completing: 'Finishing upload',
  processing: 'Processing',
  transcoding: 'Transcoding',
  ready: 'Ready',
  failed: 'Failed',
  duplicate: 'Already in your library',
  cancelled: 'Cancelled',
  deleted: 'Deleted',
};
