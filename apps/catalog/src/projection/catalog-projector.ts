import type { EventOf, EventType } from '@tonearm/contracts';
import type { KnownEvent } from '@tonearm/bus';
import type { CatalogDb } from '../repositories/catalog-database.ts';
import {
  ProjectionRepository,
  type RenditionRow,
  type TranscodeFields,
  type UploadFields,
} from '../repositories/projection-repository.ts';
import { artistKey, displayArtist, displayTitle, nameKey, stableId } from './name-normaliser.ts';
import { eventRank, trackStatus } from './track-status.ts';

/** Postgres errors that a second attempt of the same transaction can get past. */
const RETRYABLE = new Set(['40001', '40P01', '23505']);
const ATTEMPTS = 5;

/** What became of an event handed to the projector. */
export type ProjectionOutcome = 'applied' | 'duplicate' | 'ignored';

/**
 * Applies events to the read model, each exactly once in effect: the event id is recorded in
 * `processed_events` in the same transaction as its changes, so a redelivery is a no-op. Events
 * of one track may come in any order: each step keeps its latest outcome by event rank, a
 * transcode result that arrives first waits on a `pending` row, and a tombstone keeps a deleted
 * track deleted.
 *
 * @example
 * const projector = new CatalogProjector(database.db);
 * await projector.apply(event);
 */
export class CatalogProjector {
  readonly db: CatalogDb;
  readonly onApplied: ((event: KnownEvent, outcome: ProjectionOutcome) => void) | undefined;

  constructor(db: CatalogDb, options: { onApplied?: (event: KnownEvent, outcome: ProjectionOutcome) => void } = {}) {
    this.db = db;
    this.onApplied = options.onApplied;
  }

  /** Applies one event in its own transaction, retrying on deadlocks and races with other projectors. */
  async apply(event: KnownEvent): Promise<ProjectionOutcome> {
    const outcome = await this.withRetry(() =>
      this.db.transaction(async (tx) => {
        const repository = new ProjectionRepository(tx);
        await repository.enterProjection();
        return this.applyIn(repository, event);
      }),
    );
    this.onApplied?.(event, outcome);
    return outcome;
  }

  private async withRetry<T>(work: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await work();
      } catch (error) {
        const code = postgresCode(error);
        if (attempt >= ATTEMPTS || !code || !RETRYABLE.has(code)) throw error;
      }
    }
  }

  private async applyIn(repository: ProjectionRepository, event: KnownEvent): Promise<ProjectionOutcome> {
    if (!(await repository.markProcessed(event))) return 'duplicate';
    if ('trackId' in event.data) await repository.lockAggregate(event.data.trackId);
    switch (event.type) {
      case 'identity.user.registered.v1':
        await repository.upsertUser({
          id: event.data.userId,
          displayName: event.data.displayName,
          roles: [...event.data.roles],
          rank: eventRank(event),
        });
        return 'applied';
      case 'ingest.upload.completed.v1':
      case 'ingest.upload.failed.v1':
        return this.applyUpload(repository, event);
      case 'transcode.completed.v1':
      case 'transcode.failed.v1':
        return this.applyTranscode(repository, event);
      case 'catalog.track.deleted.v1':
        return this.applyDelete(repository, event);
      case 'playback.started.v1':
      case 'playback.progressed.v1':
      case 'playback.finished.v1':
        if (await repository.isDeleted(event.data.trackId)) return 'ignored';
        await repository.recordPlayback({
          eventId: event.id,
          userId: event.data.userId,
          trackId: event.data.trackId,
          sessionId: event.data.sessionId,
          kind: playbackKind(event.type),
          positionMs: event.data.positionMs,
          occurredAt: event.occurredAt,
        });
        return 'applied';
      default:
        return 'ignored';
    }
  }

  private async applyUpload(
    repository: ProjectionRepository,
    event: EventOf<'ingest.upload.completed.v1'> | EventOf<'ingest.upload.failed.v1'>,
  ): Promise<ProjectionOutcome> {
    const trackId = event.data.trackId;
    if (await repository.isDeleted(trackId)) return 'ignored';
    const rank = eventRank(event);
    const fields =
      event.type === 'ingest.upload.completed.v1' ? completedUpload(event, rank) : failedUpload(event, rank);
    const current = await repository.lockTrack(trackId);
    if (current.uploadRank !== null && current.uploadRank >= rank) return 'ignored';
    if (event.type === 'ingest.upload.completed.v1') await this.addCredits(repository, event, fields, rank);
    await repository.updateTrack(trackId, {
      ...fields,
      status: trackStatus(fields.uploadOutcome, current.transcodeOutcome),
    });
    if (current.uploadOutcome !== null) {
      // A later upload event replaced an earlier one: names and groupings follow what is left.
      for (const albumId of unique([current.albumId, fields.albumId])) await repository.refreshAlbum(albumId);
      const touched = [current.artistId, current.albumArtistId, fields.artistId, fields.albumArtistId];
      for (const artistId of unique(touched)) await repository.refreshArtist(artistId);
    }
    return 'applied';
  }

  private async addCredits(
    repository: ProjectionRepository,
    event: EventOf<'ingest.upload.completed.v1'>,
    fields: UploadFields,
    rank: string,
  ): Promise<void> {
    await repository.upsertArtist({
      id: fields.artistId!,
      name: fields.artistCredit!,
      nameKey: fields.artistKey!,
      rank,
    });
    if (!fields.albumId) return;
    await repository.upsertArtist({
      id: fields.albumArtistId!,
      name: fields.albumArtistCredit!,
      nameKey: fields.albumArtistKey!,
      rank,
    });
    await repository.upsertAlbum({
      id: fields.albumId,
      title: fields.albumCredit!,
      titleKey: fields.albumTitleKey!,
      artistId: fields.albumArtistId!,
      year: event.data.tags.year,
      coverKey: fields.coverKey,
      rank,
    });
  }

  private async applyTranscode(
    repository: ProjectionRepository,
    event: EventOf<'transcode.completed.v1'> | EventOf<'transcode.failed.v1'>,
  ): Promise<ProjectionOutcome> {
    const trackId = event.data.trackId;
    if (await repository.isDeleted(trackId)) return 'ignored';
    const rank = eventRank(event);
    const current = await repository.lockTrack(trackId);
    if (current.transcodeRank !== null && current.transcodeRank >= rank) return 'ignored';
    const { fields, ladder } = transcodeResult(event, rank);
    await repository.updateTrack(trackId, {
      ...fields,
      status: trackStatus(current.uploadOutcome, fields.transcodeOutcome),
    });
    await repository.replaceRenditions(trackId, ladder);
    return 'applied';
  }

  private async applyDelete(
    repository: ProjectionRepository,
    event: EventOf<'catalog.track.deleted.v1'>,
  ): Promise<ProjectionOutcome> {
    const { trackId, ownerId, deletedBy } = event.data;
    const current = await repository.lockTrack(trackId);
    await repository.deleteTrack({ trackId, ownerId, deletedBy, deletedAt: event.occurredAt });
    if (current.albumId) await repository.refreshAlbum(current.albumId);
    for (const artistId of unique([current.artistId, current.albumArtistId])) await repository.refreshArtist(artistId);
    return 'applied';
  }
}

/** The track fields an `ingest.upload.completed.v1` decides: tags tidied, grouping keys and ids derived. */
export function completedUpload(event: EventOf<'ingest.upload.completed.v1'>, rank: string): UploadFields {
  const { data } = event;
  const { tags } = data;
  const albumArtistName = tags.albumArtist ?? tags.artist;
  const albumId = tags.album ? stableId('album', `${artistKey(albumArtistName)}\u0000${nameKey(tags.album)}`) : null;
  return {
    ownerId: data.ownerId,
    title: displayTitle(tags.title),
    artistId: stableId('artist', artistKey(tags.artist)),
    albumId,
    trackNumber: tags.trackNumber,
    discNumber: tags.discNumber,
    year: tags.year,
    genre: tags.genre,
    filename: data.source.filename,
    sha256: data.source.sha256,
    sizeBytes: data.source.size,
    coverKey: data.cover?.key ?? null,
    uploadOutcome: 'completed',
    uploadRank: rank,
    uploadError: null,
    createdAt: event.occurredAt,
    artistCredit: displayArtist(tags.artist),
    artistKey: artistKey(tags.artist),
    albumCredit: tags.album ? displayTitle(tags.album) : null,
    albumTitleKey: tags.album ? nameKey(tags.album) : null,
    albumArtistId: tags.album ? stableId('artist', artistKey(albumArtistName)) : null,
    albumArtistCredit: tags.album ? displayArtist(albumArtistName) : null,
    albumArtistKey: tags.album ? artistKey(albumArtistName) : null,
  };
}

/** The track fields an `ingest.upload.failed.v1` decides: the file name as title, the reason as error. */
export function failedUpload(event: EventOf<'ingest.upload.failed.v1'>, rank: string): UploadFields {
  const { data } = event;
  return {
    ownerId: data.ownerId,
    title: displayTitle(data.filename),
    artistId: null,
    albumId: null,
    trackNumber: null,
    discNumber: null,
    year: null,
    genre: null,
    filename: data.filename,
    sha256: null,
    sizeBytes: null,
    coverKey: null,
    uploadOutcome: 'failed',
    uploadRank: rank,
    uploadError: data.reason,
    createdAt: event.occurredAt,
    artistCredit: null,
    artistKey: null,
    albumCredit: null,
    albumTitleKey: null,
    albumArtistId: null,
    albumArtistCredit: null,
    albumArtistKey: null,
  };
}

/** The track fields and HLS ladder a transcode outcome decides (no ladder when it failed). */
export function transcodeResult(
  event: EventOf<'transcode.completed.v1'> | EventOf<'transcode.failed.v1'>,
  rank: string,
): { fields: TranscodeFields & { transcodeOutcome: 'completed' | 'failed' }; ladder: RenditionRow[] } {
  if (event.type === 'transcode.failed.v1') {
    return {
      fields: {
        transcodeOutcome: 'failed',
        transcodeRank: rank,
        transcodeError: event.data.reason,
        durationMs: null,
        masterKey: null,
        waveformKey: null,
        integratedLufs: null,
        truePeakDb: null,
        gainDb: null,
      },
      ladder: [],
    };
  }
  const { data } = event;
  return {
    fields: {
      transcodeOutcome: 'completed',
      transcodeRank: rank,
      transcodeError: null,
      durationMs: data.durationMs,
      masterKey: data.masterKey,
      waveformKey: data.waveformKey,
      integratedLufs: data.loudness.integratedLufs,
      truePeakDb: data.loudness.truePeakDb,
      gainDb: data.loudness.gainDb,
    },
    ladder: data.renditions.map((r) => ({
      name: r.name,
      bitrate: r.bitrate,
      averageBitrate: r.averageBitrate,
      codecs: r.codecs,
      playlistKey: r.playlistKey,
    })),
  };
}

/** The listening-history kind of a playback event type. */
export function playbackKind(type: EventType): 'started' | 'progressed' | 'finished' {
  if (type === 'playback.started.v1') return 'started';
  return type === 'playback.finished.v1' ? 'finished' : 'progressed';
}

function unique(ids: (string | null | undefined)[]): string[] {
  return [...new Set(ids.filter((id): id is string => typeof id === 'string'))];
}

function postgresCode(error: unknown): string | undefined {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}
