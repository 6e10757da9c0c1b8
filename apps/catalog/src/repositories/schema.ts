import { sql } from 'drizzle-orm';
import { index, integer, pgTable, primaryKey, real, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

/**
 * The read model. No foreign keys: the projector keeps references whole under its row locks, and
 * foreign keys would name the schema, which a rebuild's shadow copy must not. Tables are unqualified: the connection's `search_path` picks the schema, so a
 * rebuild can fill a shadow schema with the same definitions and swap it in by renaming.
 * Every value comes from events (no wall-clock columns), so two projections of one history are
 * equal row for row.
 */
export const processedEvents = pgTable('processed_events', {
  eventId: uuid('event_id').primaryKey(),
  type: text('type').notNull(),
  occurredAt: timestamp('occurred_at', { withTimezone: true, mode: 'string' }).notNull(),
});

/** Display names of accounts, from identity. */
export const users = pgTable('users', {
  id: uuid('id').primaryKey(),
  displayName: text('display_name').notNull(),
  roles: text('roles').array().notNull(),
  rank: text('rank').notNull(),
});

/** Artists, one per normalised name; `rank` orders the spellings so the earliest wins. */
export const artists = pgTable(
  'artists',
  {
    id: uuid('id').primaryKey(),
    name: text('name').notNull(),
    nameKey: text('name_key').notNull(),
    rank: text('rank').notNull(),
  },
  (t) => [uniqueIndex('artists_name_key_idx').on(t.nameKey)],
);

/** Albums, one per album artist and normalised title. */
export const albums = pgTable(
  'albums',
  {
    id: uuid('id').primaryKey(),
    title: text('title').notNull(),
    titleKey: text('title_key').notNull(),
    artistId: uuid('artist_id').notNull(),
    year: integer('year'),
    coverKey: text('cover_key'),
    rank: text('rank').notNull(),
  },
  (t) => [uniqueIndex('albums_artist_title_idx').on(t.artistId, t.titleKey)],
);

/**
 * Tracks. The upload and transcode outcomes are kept apart, each the latest by event rank, so the
 * status does not depend on the order they arrive in. A row with no upload outcome yet holds an
 * early transcode result and is shown nowhere.
 */
export const tracks = pgTable(
  'tracks',
  {
    id: uuid('id').primaryKey(),
    ownerId: uuid('owner_id'),
    title: text('title'),
    artistId: uuid('artist_id'),
    albumId: uuid('album_id'),
    trackNumber: integer('track_number'),
    discNumber: integer('disc_number'),
    year: integer('year'),
    genre: text('genre'),
    filename: text('filename'),
    sha256: text('sha256'),
    sizeBytes: integer('size_bytes'),
    coverKey: text('cover_key'),
    artistCredit: text('artist_credit'),
    artistKey: text('artist_key'),
    albumCredit: text('album_credit'),
    albumTitleKey: text('album_title_key'),
    albumArtistId: uuid('album_artist_id'),
    albumArtistCredit: text('album_artist_credit'),
    albumArtistKey: text('album_artist_key'),
    uploadOutcome: text('upload_outcome', { enum: ['completed', 'failed'] }),
    uploadRank: text('upload_rank'),
    uploadError: text('upload_error'),
    transcodeOutcome: text('transcode_outcome', { enum: ['completed', 'failed'] }),
    transcodeRank: text('transcode_rank'),
    transcodeError: text('transcode_error'),
    status: text('status', { enum: ['pending', 'processing', 'ready', 'failed'] }).notNull(),
    durationMs: integer('duration_ms'),
    masterKey: text('master_key'),
    waveformKey: text('waveform_key'),
    integratedLufs: real('integrated_lufs'),
    truePeakDb: real('true_peak_db'),
    gainDb: real('gain_db'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'string' }),
  },
  (t) => [
    index('tracks_created_idx').on(t.createdAt, t.id),
    index('tracks_owner_idx').on(t.ownerId, t.createdAt),
    index('tracks_artist_idx').on(t.artistId),
    index('tracks_album_idx').on(t.albumId),
    index('tracks_album_artist_idx').on(t.albumArtistId),
    index('tracks_status_idx').on(t.status),
  ],
);

/** The HLS ladder of a ready track. */
export const renditions = pgTable(
  'renditions',
  {
    trackId: uuid('track_id').notNull(),
    name: text('name').notNull(),
    bitrate: integer('bitrate').notNull(),
    averageBitrate: integer('average_bitrate').notNull(),
    codecs: text('codecs').notNull(),
    playlistKey: text('playlist_key').notNull(),
  },
  (t) => [primaryKey({ columns: [t.trackId, t.name] })],
);

/** Deleted tracks: later or replayed events of these never bring them back. */
export const deletedTracks = pgTable('deleted_tracks', {
  trackId: uuid('track_id').primaryKey(),
  ownerId: uuid('owner_id').notNull(),
  deletedBy: uuid('deleted_by').notNull(),
  deletedAt: timestamp('deleted_at', { withTimezone: true, mode: 'string' }).notNull(),
});

/** Plays started per track. */
export const playCounts = pgTable('play_counts', {
  trackId: uuid('track_id').primaryKey(),
  plays: integer('plays').notNull().default(0),
});

/** Every playback event per user, for listening history. */
export const listeningHistory = pgTable(
  'listening_history',
  {
    eventId: uuid('event_id').primaryKey(),
    userId: uuid('user_id').notNull(),
    trackId: uuid('track_id').notNull(),
    sessionId: text('session_id').notNull(),
    kind: text('kind', { enum: ['started', 'progressed', 'finished'] }).notNull(),
    positionMs: integer('position_ms').notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true, mode: 'string' }).notNull(),
  },
  (t) => [
    index('listening_history_user_idx').on(t.userId, t.occurredAt),
    index('listening_history_track_idx').on(t.trackId),
  ],
);

/** Expression used by the search indexes and queries: lower case, accents removed. */
export const searchable = (column: unknown) => sql`f_unaccent(lower(${column}))`;
