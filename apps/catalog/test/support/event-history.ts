import { createHash, randomUUID } from 'node:crypto';
import { newEvent, type EventData, type EventOf, type EventType } from '@tonearm/contracts';
import type { KnownEvent } from '@tonearm/bus';

/** A small deterministic random source, so a failing history can be reproduced from its seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4_294_967_296;
  };
}

/** Shuffles a copy of a list with the given random source. */
export function shuffled<T>(items: T[], random: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

let clock = Date.parse('2026-03-01T10:00:00.000Z');

/** A catalogue event with a unique id and an occurrence time one second after the previous one. */
export function makeEvent<T extends EventType>(type: T, data: EventData<T>): EventOf<T> {
  clock += 1000;
  return newEvent(type, 1, { data, occurredAt: new Date(clock) }) as EventOf<T>;
}

/** Tags for an upload, every field given. */
export function tags(overrides: Partial<EventData<'ingest.upload.completed.v1'>['tags']> = {}) {
  return {
    title: 'Untitled',
    artist: 'Unknown',
    album: null,
    albumArtist: null,
    trackNumber: null,
    discNumber: null,
    year: null,
    genre: null,
    ...overrides,
  };
}

/** An `ingest.upload.completed.v1` of a new (or the given) track. */
export function uploadCompleted(
  ownerId: string,
  tagValues: Partial<EventData<'ingest.upload.completed.v1'>['tags']>,
  trackId: string = randomUUID(),
): EventOf<'ingest.upload.completed.v1'> {
  return makeEvent('ingest.upload.completed.v1', {
    trackId,
    uploadId: `upload-${trackId.slice(0, 8)}`,
    ownerId,
    source: {
      key: `sources/${trackId}`,
      filename: `${tagValues.title ?? 'track'}.flac`,
      size: 1000 + trackId.charCodeAt(0),
      sha256: createHash('sha256').update(trackId).digest('hex'),
      contentType: 'audio/flac',
    },
    tags: tags(tagValues),
    cover: tagValues.album ? { key: `covers/${trackId}`, contentType: 'image/jpeg' } : null,
  });
}

/** A `transcode.completed.v1` of a track with a three-rung ladder. */
export function transcodeCompleted(trackId: string, durationMs = 180_000): EventOf<'transcode.completed.v1'> {
  return makeEvent('transcode.completed.v1', {
    trackId,
    durationMs,
    sampleRate: 44_100,
    channels: 2,
    masterKey: `hls/${trackId}/master.m3u8`,
    renditions: [64, 128, 256].map((k) => ({
      name: `aac-${k}k`,
      bitrate: k * 1000 + 5000,
      averageBitrate: k * 1000,
      codecs: 'mp4a.40.2',
      playlistKey: `hls/${trackId}/aac-${k}k/index.m3u8`,
    })),
    loudness: { integratedLufs: -9.5, truePeakDb: -0.4, gainDb: -4.5 },
    waveformKey: `hls/${trackId}/waveform.json`,
  });
}

/** A user and their registration event. */
export function registeredUser(displayName: string, roles: ('user' | 'admin')[] = ['user']) {
  const userId = randomUUID();
  return { userId, event: makeEvent('identity.user.registered.v1', { userId, displayName, roles }) };
}

/**
 * A history of several users, artists, albums and tracks: ready tracks grouped on shared albums
 * with spelling variants and featured credits, a refused upload, a failed transcode, a track
 * re-tagged by a second upload, a transcode retried after a failure, deleted tracks (one with
 * events after its deletion), and plays.
 */
export function generateHistory(): KnownEvent[] {
  const events: KnownEvent[] = [];
  const alice = registeredUser('Alice');
  const bob = registeredUser('Bob');
  const admin = registeredUser('Ops', ['user', 'admin']);
  events.push(alice.event, bob.event, admin.event);
  const catalogue: [string, Partial<EventData<'ingest.upload.completed.v1'>['tags']>][] = [
    [alice.userId, { title: 'Halo', artist: 'Beyoncé', album: 'I Am... Sasha Fierce', trackNumber: 1 }],
    [bob.userId, { title: 'Single Ladies', artist: 'BEYONCE', album: 'i am... sasha fierce', trackNumber: 2 }],
    [alice.userId, { title: 'Drunk in Love', artist: 'Beyonce feat. Jay-Z', album: 'Beyoncé', trackNumber: 3 }],
    [bob.userId, { title: 'Airbag', artist: 'Radiohead', album: 'OK Computer', trackNumber: 1, year: 1997 }],
    [alice.userId, { title: 'Paranoid Android', artist: 'radiohead ', album: 'OK  Computer', trackNumber: 2 }],
    [bob.userId, { title: 'Karma Police', artist: 'Radiohead', album: 'OK Computer', trackNumber: 6 }],
    [alice.userId, { title: 'Creep', artist: 'Radiohead', album: 'Pablo Honey', trackNumber: 2 }],
    [bob.userId, { title: 'Hoppípolla', artist: 'Sigur Rós', album: 'Takk...', albumArtist: 'Sigur Ros' }],
    [
      alice.userId,
      { title: 'Get Lucky', artist: 'Daft Punk (feat. Pharrell Williams)', album: 'Random Access Memories' },
    ],
    [bob.userId, { title: 'Loose single', artist: 'Nobody Famous' }],
  ];
  const trackIds: string[] = [];
  for (const [owner, tagValues] of catalogue) {
    const upload = uploadCompleted(owner, tagValues);
    trackIds.push(upload.data.trackId);
    events.push(upload, transcodeCompleted(upload.data.trackId, 120_000 + trackIds.length * 1000));
  }
  const processing = uploadCompleted(alice.userId, { title: 'Work in progress', artist: 'Alice Band' });
  events.push(processing);
  const refusedId = randomUUID();
  events.push(
    makeEvent('ingest.upload.failed.v1', {
      trackId: refusedId,
      uploadId: 'upload-refused',
      ownerId: bob.userId,
      filename: 'notes.txt',
      reason: 'the file is not audio',
    }),
  );
  const broken = uploadCompleted(alice.userId, { title: 'Broken', artist: 'Glitch', album: 'Errors' });
  events.push(broken, makeEvent('transcode.failed.v1', { trackId: broken.data.trackId, reason: 'decoding failed' }));
  const retried = uploadCompleted(bob.userId, { title: 'Second Try', artist: 'Retry Band' });
  events.push(
    retried,
    makeEvent('transcode.failed.v1', { trackId: retried.data.trackId, reason: 'storage hiccup' }),
    transcodeCompleted(retried.data.trackId),
  );
  const retagged = uploadCompleted(alice.userId, { title: 'Old Name', artist: 'Temp Artist', album: 'Temp Album' });
  events.push(
    retagged,
    transcodeCompleted(retagged.data.trackId),
    uploadCompleted(alice.userId, { title: 'New Name', artist: 'Radiohead', album: 'Kid A' }, retagged.data.trackId),
  );
  const deleted = uploadCompleted(bob.userId, { title: 'Gone', artist: 'Only Gone', album: 'Gone Album' });
  events.push(
    deleted,
    transcodeCompleted(deleted.data.trackId),
    makeEvent('catalog.track.deleted.v1', {
      trackId: deleted.data.trackId,
      ownerId: bob.userId,
      deletedBy: bob.userId,
    }),
    makeEvent('playback.started.v1', {
      trackId: deleted.data.trackId,
      userId: alice.userId,
      sessionId: 's-late',
      positionMs: 0,
    }),
  );
  const earliestSpelling = trackIds[0]!;
  events.push(
    makeEvent('catalog.track.deleted.v1', {
      trackId: earliestSpelling,
      ownerId: alice.userId,
      deletedBy: admin.userId,
    }),
  );
  for (const [i, trackId] of trackIds.slice(1, 6).entries()) {
    const listener = i % 2 === 0 ? alice.userId : bob.userId;
    for (const type of ['playback.started.v1', 'playback.progressed.v1', 'playback.finished.v1'] as const) {
      events.push(makeEvent(type, { trackId, userId: listener, sessionId: `s-${i}`, positionMs: i * 1000 }));
    }
  }
  return events;
}
