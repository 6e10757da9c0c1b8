import type { EventOf, EventType } from '@tonearm/contracts';
import type { RenditionRow, TranscodeFields, UploadFields } from '../repositories/projection-repository.ts';
import { artistKey, displayArtist, displayTitle, nameKey, stableId } from './name-normaliser.ts';

/** The track fields an `ingest.upload.completed.v1` decides: tags tidied, grouping keys and ids derived. */
export function completedUpload(event: EventOf<'ingest.upload.completed.v1'>, rank: string): UploadFields {
  const { data } = event;
  const { tags } = data;
  const albumArtistName = tags.albumArtist ?? tags.artist;
  const trackArtistKey = artistKey(tags.artist);
  const album = tags.album ? { titleKey: nameKey(tags.album), artistKey: artistKey(albumArtistName) } : null;
  return {
    ownerId: data.ownerId,
    title: displayTitle(tags.title),
    artistId: stableId('artist', trackArtistKey),
    albumId: album ? stableId('album', `${album.artistKey}\u0000${album.titleKey}`) : null,
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
    artistKey: trackArtistKey,
    albumCredit: tags.album ? displayTitle(tags.album) : null,
    albumTitleKey: album?.titleKey ?? null,
    albumArtistId: album ? stableId('artist', album.artistKey) : null,
    albumArtistCredit: tags.album ? displayArtist(albumArtistName) : null,
    albumArtistKey: album?.artistKey ?? null,
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
