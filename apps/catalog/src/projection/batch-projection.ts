import type { KnownEvent } from '@tonearm/bus';
import type { EventOf } from '@tonearm/contracts';
import type { ProjectionRepository, RenditionRow, TrackRow } from '../repositories/projection-repository.ts';
import { completedUpload, failedUpload, playbackKind, transcodeResult } from './event-fields.ts';
import { eventRank, trackStatus } from './track-status.ts';

/** What became of an event handed to the projection. */
export type ProjectionOutcome = 'applied' | 'duplicate' | 'ignored';

type TrackEvent = Extract<KnownEvent, { data: { trackId: string } }>;

/**
 * Projects a batch of events in the caller's transaction with set-based statements: events
 * applied before are dropped (`processed_events`), the events of each track are folded in memory
 * (latest upload and transcode outcome by rank, a transcode result before its upload kept on a
 * `pending` row, tombstones first), then tracks, renditions, plays and history are written a
 * batch at a time and the artists and albums they touch are recomputed. Answers each event's
 * outcome by id. The result depends on the set of events, not on their order or batching; it
 * assumes no other transaction writes at the same time (the caller's locks see to that).
 *
 * @example
 * const outcomes = await projectBatch(new ProjectionRepository(tx), events);
 */
export async function projectBatch(
  repository: ProjectionRepository,
  events: KnownEvent[],
): Promise<Map<string, ProjectionOutcome>> {
  const unique = [...new Map(events.map((e) => [e.id, e])).values()];
  const outcomes = new Map<string, ProjectionOutcome>(unique.map((e) => [e.id, 'duplicate']));
  if (unique.length === 0) return outcomes;
  // The stored state of every track of the batch comes with the claim, one round trip; the
  // tracks of events applied before are looked up too, which costs nothing worth a second one.
  const { fresh, tombstoned, existing } = await repository.claim(
    unique.map((e) => ({ eventId: e.id, type: e.type, occurredAt: e.occurredAt })),
    [...new Set(unique.filter(isTrackEvent).map((e) => e.data.trackId))],
  );
  const applied = unique.filter((e) => fresh.has(e.id));
  for (const event of applied) outcomes.set(event.id, 'ignored');
  const users = latestUsers(applied);
  for (const event of applied) if (event.type === 'identity.user.registered.v1') outcomes.set(event.id, 'applied');
  await repository.upsertUsers(users);
  await projectTracks(repository, applied.filter(isTrackEvent), { tombstoned, existing }, outcomes);
  return outcomes;
}

async function projectTracks(
  repository: ProjectionRepository,
  events: TrackEvent[],
  { tombstoned, existing }: { tombstoned: Set<string>; existing: Map<string, TrackRow> },
  outcomes: Map<string, ProjectionOutcome>,
): Promise<void> {
  const byTrack = Map.groupBy(events, (e) => e.data.trackId);
  const tombstones: { trackId: string; ownerId: string; deletedBy: string; deletedAt: string }[] = [];
  const removed: string[] = [];
  const written: TrackRow[] = [];
  const ladders = new Map<string, RenditionRow[]>();
  const history: Parameters<ProjectionRepository['writeTracks']>[0]['history'] = [];
  const started = new Map<string, number>();
  const albumsTouched = new Set<string>();
  const artistsTouched = new Set<string>();
  const touch = (row: TrackRow | undefined) => {
    if (row?.albumId) albumsTouched.add(row.albumId);
    for (const id of [row?.artistId, row?.albumArtistId]) if (id) artistsTouched.add(id);
  };
  for (const [trackId, trackEvents] of byTrack) {
    const current = existing.get(trackId);
    const deletes = trackEvents
      .filter((e): e is EventOf<'catalog.track.deleted.v1'> => e.type === 'catalog.track.deleted.v1')
      .sort((a, b) => eventRank(a).localeCompare(eventRank(b)));
    if (tombstoned.has(trackId) || deletes.length > 0) {
      for (const event of trackEvents)
        outcomes.set(event.id, event.type === 'catalog.track.deleted.v1' ? 'applied' : 'ignored');
      const first = deletes[0];
      if (first && !tombstoned.has(trackId)) {
        const { ownerId, deletedBy } = first.data;
        tombstones.push({ trackId, ownerId, deletedBy, deletedAt: first.occurredAt });
      }
      if (deletes.length > 0) removed.push(trackId);
      touch(current);
      continue;
    }
    let row: TrackRow = current ?? emptyTrack(trackId);
    let uploadChanged = false;
    let transcodeChanged = false;
    for (const event of trackEvents) {
      const rank = eventRank(event);
      outcomes.set(event.id, 'ignored');
      if (event.type === 'ingest.upload.completed.v1' || event.type === 'ingest.upload.failed.v1') {
        if (row.uploadRank !== null && row.uploadRank >= rank) continue;
        outcomes.set(event.id, 'applied');
        const fields =
          event.type === 'ingest.upload.completed.v1' ? completedUpload(event, rank) : failedUpload(event, rank);
        row = { ...row, ...fields };
        uploadChanged = true;
      } else if (event.type === 'transcode.completed.v1' || event.type === 'transcode.failed.v1') {
        if (row.transcodeRank !== null && row.transcodeRank >= rank) continue;
        outcomes.set(event.id, 'applied');
        const { fields, ladder } = transcodeResult(event, rank);
        row = { ...row, ...fields };
        ladders.set(trackId, ladder);
        transcodeChanged = true;
      } else if (event.type.startsWith('playback.')) {
        outcomes.set(event.id, 'applied');
        const { userId, sessionId, positionMs } = event.data as EventOf<'playback.started.v1'>['data'];
        const kind = playbackKind(event.type);
        history.push({
          eventId: event.id,
          userId,
          trackId,
          sessionId,
          kind,
          positionMs,
          occurredAt: event.occurredAt,
        });
        if (kind === 'started') started.set(trackId, (started.get(trackId) ?? 0) + 1);
      }
    }
    if (!uploadChanged && !transcodeChanged) continue;
    row.status = trackStatus(row.uploadOutcome, row.transcodeOutcome);
    written.push(row);
    if (uploadChanged) {
      touch(current);
      touch(row);
    }
  }
  await repository.removeTracks(removed);
  await repository.writeTracks({ tombstones, tracks: written, ladders, history, started });
  await repository.refreshAlbumsAndArtists([...albumsTouched], [...artistsTouched]);
}

function isTrackEvent(event: KnownEvent): event is TrackEvent {
  return typeof (event.data as { trackId?: unknown }).trackId === 'string';
}

function latestUsers(events: KnownEvent[]) {
  const latest = new Map<string, { id: string; displayName: string; roles: string[]; rank: string }>();
  for (const event of events) {
    if (event.type !== 'identity.user.registered.v1') continue;
    const rank = eventRank(event);
    const known = latest.get(event.data.userId);
    if (known && known.rank >= rank) continue;
    latest.set(event.data.userId, {
      id: event.data.userId,
      displayName: event.data.displayName,
      roles: [...event.data.roles],
      rank,
    });
  }
  return [...latest.values()];
}

function emptyTrack(id: string): TrackRow {
  return {
    id,
    ownerId: null,
    title: null,
    artistId: null,
    albumId: null,
    trackNumber: null,
    discNumber: null,
    year: null,
    genre: null,
    filename: null,
    sha256: null,
    sizeBytes: null,
    coverKey: null,
    artistCredit: null,
    artistKey: null,
    albumCredit: null,
    albumTitleKey: null,
    albumArtistId: null,
    albumArtistCredit: null,
    albumArtistKey: null,
    uploadOutcome: null,
    uploadRank: null,
    uploadError: null,
    transcodeOutcome: null,
    transcodeRank: null,
    transcodeError: null,
    status: 'pending',
    durationMs: null,
    masterKey: null,
    waveformKey: null,
    integratedLufs: null,
    truePeakDb: null,
    gainDb: null,
    createdAt: null,
  };
}
