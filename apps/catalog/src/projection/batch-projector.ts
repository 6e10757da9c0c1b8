import type { KnownEvent } from '@tonearm/bus';
import type { EventOf } from '@tonearm/contracts';
import { BatchProjectionRepository } from '../repositories/batch-projection-repository.ts';
import type { CatalogDb } from '../repositories/catalog-database.ts';
import type { RenditionRow, TrackRow } from '../repositories/projection-repository.ts';
import { completedUpload, failedUpload, playbackKind, transcodeResult } from './catalog-projector.ts';
import { eventRank, trackStatus } from './track-status.ts';

type TrackEvent = Extract<KnownEvent, { data: { trackId: string } }>;

/**
 * Projects many events in one transaction with set-based statements: the events of each track
 * are folded in memory (latest upload and transcode outcome by rank, tombstones first), then
 * tracks, renditions, plays and history are written a batch at a time and the artists and
 * albums they touch are recomputed. It gives the tables the per-event {@link CatalogProjector}
 * gives, much faster, but assumes it is the only writer: a rebuild's shadow schema.
 *
 * @example
 * const projector = new BatchProjector(shadow.db);
 * await projector.applyBatch(events);
 */
export class BatchProjector {
  readonly db: CatalogDb;

  constructor(db: CatalogDb) {
    this.db = db;
  }

  /** Applies the events not applied before; answers how many that was. */
  async applyBatch(events: KnownEvent[]): Promise<number> {
    const unique = [...new Map(events.map((e) => [e.id, e])).values()];
    return this.db.transaction(async (tx) => {
      const repository = new BatchProjectionRepository(tx);
      const done = await repository.processedAmong(unique.map((e) => e.id));
      const fresh = unique.filter((e) => !done.has(e.id));
      if (fresh.length === 0) return 0;
      await repository.markProcessed(fresh.map((e) => ({ eventId: e.id, type: e.type, occurredAt: e.occurredAt })));
      await repository.upsertUsers(latestUsers(fresh));
      await this.projectTracks(repository, fresh.filter(isTrackEvent));
      return fresh.length;
    });
  }

  private async projectTracks(repository: BatchProjectionRepository, events: TrackEvent[]): Promise<void> {
    const byTrack = Map.groupBy(events, (e) => e.data.trackId);
    const trackIds = [...byTrack.keys()];
    const tombstoned = await repository.tombstonedAmong(trackIds);
    const existing = await repository.tracksAmong(trackIds);
    const tombstones: { trackId: string; ownerId: string; deletedBy: string; deletedAt: string }[] = [];
    const removed: string[] = [];
    const written: TrackRow[] = [];
    const ladders = new Map<string, RenditionRow[]>();
    const history: Parameters<BatchProjectionRepository['recordPlaybacks']>[0] = [];
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
        if (event.type === 'ingest.upload.completed.v1' || event.type === 'ingest.upload.failed.v1') {
          if (row.uploadRank !== null && row.uploadRank >= rank) continue;
          const fields =
            event.type === 'ingest.upload.completed.v1' ? completedUpload(event, rank) : failedUpload(event, rank);
          row = { ...row, ...fields };
          uploadChanged = true;
        } else if (event.type === 'transcode.completed.v1' || event.type === 'transcode.failed.v1') {
          if (row.transcodeRank !== null && row.transcodeRank >= rank) continue;
          const { fields, ladder } = transcodeResult(event, rank);
          row = { ...row, ...fields };
          ladders.set(trackId, ladder);
          transcodeChanged = true;
        } else if (event.type.startsWith('playback.')) {
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
    await repository.insertTombstones(tombstones);
    await repository.removeTracks(removed);
    await repository.upsertTracks(written);
    await repository.replaceRenditions(ladders);
    await repository.recordPlaybacks(history, started);
    await repository.refreshAlbums([...albumsTouched]);
    await repository.refreshArtists([...artistsTouched]);
  }
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
