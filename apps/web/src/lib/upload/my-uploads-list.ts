import type { Track, UploadStatusEvent } from '@tonearm/contracts';

/** Which of the caller's uploads the My uploads page shows. */
export type UploadFilter = 'all' | Track['status'];

/** The list after a pushed status, and a track to ask the catalog for when the push alone cannot show it. */
export interface ListChange {
  tracks: Track[];
  fetch?: string;
}

const rank: Record<Track['status'], number> = { processing: 0, ready: 1, failed: 1 };

const shows = (filter: UploadFilter, track: Track) => filter === 'all' || track.status === filter;

/**
 * The list with `track` in it: replacing the row of the same id in place, or first (the list is
 * newest first); left out when the filter does not show it. A track never moves back from an
 * outcome to processing (a fetched answer can be older than a pushed one).
 *
 * @example
 * upsertTrack(tracks, readyTrack, 'failed') // tracks without readyTrack
 */
export function upsertTrack(tracks: Track[], track: Track, filter: UploadFilter): Track[] {
  const at = tracks.findIndex((candidate) => candidate.id === track.id);
  const current = at < 0 ? undefined : tracks[at]!;
  if (current && rank[track.status] < rank[current.status]) return tracks;
  if (!shows(filter, track)) return at < 0 ? tracks : tracks.filter((candidate) => candidate.id !== track.id);
  if (at < 0) return [track, ...tracks];
  return tracks.map((candidate, index) => (index === at ? track : candidate));
}

/**
 * What one pushed upload status does to the list of my uploads: a deleted track goes, a failed
 * one shows its reason, a ready one takes the catalog's view the push carries. A track the list
 * does not hold yet (an upload from another tab or the CLI), or a "ready" without the catalog's
 * view, is named in `fetch` so the page asks for it once.
 *
 * @example
 * applyUploadStatus(tracks, { trackId, status: 'failed', reason: 'not an audio file' }, 'all')
 * // { tracks: [...with that track failed: 'not an audio file'] }
 */
export function applyUploadStatus(tracks: Track[], event: UploadStatusEvent, filter: UploadFilter): ListChange {
  if (event.status === 'deleted') return { tracks: tracks.filter((track) => track.id !== event.trackId) };
  if (event.track) return { tracks: upsertTrack(tracks, event.track, filter) };
  const current = tracks.find((track) => track.id === event.trackId);
  if (!current) return { tracks, fetch: event.trackId };
  switch (event.status) {
    case 'failed':
      return {
        tracks: upsertTrack(
          tracks,
          { ...current, status: 'failed', error: event.reason ?? current.error ?? 'processing failed' },
          filter,
        ),
      };
    case 'ready':
      return { tracks, fetch: event.trackId };
    default:
      // Processing and transcoding are both "processing" in the catalog; the title may be new.
      return {
        tracks: upsertTrack(tracks, { ...current, status: 'processing', title: event.title ?? current.title }, filter),
      };
  }
}
