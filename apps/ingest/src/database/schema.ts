import type { EventData } from '@tonearm/contracts';
import { sql } from 'drizzle-orm';
import { bigint, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

/**
 * One upload session: the S3 multipart upload behind it, what the client declared, and where it
 * is. Completed sessions keep their content hash, so a later upload of the same file by the same
 * owner is found as a duplicate; at most one completed session per owner holds a hash.
 */
export const uploadSessions = pgTable(
  'upload_sessions',
  {
    uploadId: uuid('upload_id').primaryKey(),
    trackId: uuid('track_id').notNull().unique(),
    ownerId: uuid('owner_id').notNull(),
    filename: text('filename').notNull(),
    size: bigint('size', { mode: 'number' }).notNull(),
    contentType: text('content_type').notNull(),
    declaredSha256: text('declared_sha256'),
    sha256: text('sha256'),
    partSize: integer('part_size').notNull(),
    partCount: integer('part_count').notNull(),
    s3UploadId: text('s3_upload_id').notNull(),
    status: text('status', {
      enum: ['uploading', 'processing', 'completed', 'failed', 'aborted', 'expired', 'deleted'],
    }).notNull(),
    reason: text('reason'),
    duplicateOf: uuid('duplicate_of'),
    correlationId: text('correlation_id').notNull(),
    /** The id of the outcome event, fixed up front so a retried check publishes the same event. */
    eventId: uuid('event_id').notNull(),
    /**
     * The outcome event (completed or failed), written with the final state in one statement and
     * published after it: a session with an outcome but no `publishedAt` is published again.
     */
    outcome: jsonb('outcome').$type<SessionOutcome>(),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index('upload_sessions_owner_idx').on(table.ownerId),
    index('upload_sessions_status_created_idx').on(table.status, table.createdAt),
    index('upload_sessions_unpublished_idx')
      .on(table.updatedAt)
      .where(sql`${table.outcome} IS NOT NULL AND ${table.publishedAt} IS NULL`),
    uniqueIndex('upload_sessions_owner_sha256_completed_idx')
      .on(table.ownerId, table.sha256)
      .where(sql`${table.status} = 'completed'`),
  ],
);

/** The event a finished check announces. */
export type SessionOutcome =
  | { type: 'ingest.upload.completed.v1'; data: EventData<'ingest.upload.completed.v1'> }
  | { type: 'ingest.upload.failed.v1'; data: EventData<'ingest.upload.failed.v1'> };

/** A row of `upload_sessions`. */
export type UploadSessionRow = typeof uploadSessions.$inferSelect;

/** The state of a session. */
export type UploadSessionStatus = UploadSessionRow['status'];
