import { and, eq, gte, inArray, isNotNull, isNull, lt, sql } from 'drizzle-orm';
import type { IngestDatabase } from '../database/database.ts';
import {
  uploadSessions,
  type SessionOutcome,
  type UploadSessionRow,
  type UploadSessionStatus,
} from '../database/schema.ts';

/** A session as it is first written. */
export type NewUploadSession = Omit<
  UploadSessionRow,
  'createdAt' | 'updatedAt' | 'sha256' | 'reason' | 'duplicateOf' | 'outcome' | 'publishedAt'
>;

/** What may change on a session as it moves on. */
export type UploadSessionPatch = Partial<
  Pick<UploadSessionRow, 'status' | 'sha256' | 'reason' | 'duplicateOf' | 'outcome'>
>;

function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: string }).code === '23505') return true;
  }
  return false;
}

/**
 * The upload sessions in ingest's Postgres database. State changes are conditional on the state
 * the caller saw, so two instances (or a retry) never move one session twice.
 *
 * @example
 * const session = await sessions.findOwned(uploadId, principal.userId);
 */
export class UploadSessionRepository {
  readonly db: IngestDatabase;

  constructor(db: IngestDatabase) {
    this.db = db;
  }

  async insert(session: NewUploadSession): Promise<UploadSessionRow> {
    const [row] = await this.db.insert(uploadSessions).values(session).returning();
    return row!;
  }

  async find(uploadId: string): Promise<UploadSessionRow | undefined> {
    const [row] = await this.db.select().from(uploadSessions).where(eq(uploadSessions.uploadId, uploadId));
    return row;
  }

  /** The session when it belongs to the owner; another owner's is as good as missing. */
  async findOwned(uploadId: string, ownerId: string): Promise<UploadSessionRow | undefined> {
    const [row] = await this.db
      .select()
      .from(uploadSessions)
      .where(and(eq(uploadSessions.uploadId, uploadId), eq(uploadSessions.ownerId, ownerId)));
    return row;
  }

  async findByTrack(trackId: string): Promise<UploadSessionRow | undefined> {
    const [row] = await this.db.select().from(uploadSessions).where(eq(uploadSessions.trackId, trackId));
    return row;
  }

  /** The owner's track whose completed upload had this content hash, if any. */
  async findCompletedTrack(ownerId: string, sha256: string): Promise<string | undefined> {
    const [row] = await this.db
      .select({ trackId: uploadSessions.trackId })
      .from(uploadSessions)
      .where(
        and(
          eq(uploadSessions.ownerId, ownerId),
          eq(uploadSessions.sha256, sha256),
          eq(uploadSessions.status, 'completed'),
        ),
      );
    return row?.trackId;
  }

  /** Moves a session on when it is still in one of the `from` states; answers the new row, or undefined. */
  async transition(
    uploadId: string,
    from: UploadSessionStatus[],
    patch: UploadSessionPatch,
  ): Promise<UploadSessionRow | undefined> {
    const [row] = await this.db
      .update(uploadSessions)
      .set({ ...patch, updatedAt: sql`now()` })
      .where(and(eq(uploadSessions.uploadId, uploadId), inArray(uploadSessions.status, from)))
      .returning();
    return row;
  }

  /**
   * Marks a checked session completed with its content hash. Answers `duplicate` when another
   * completed session of the owner got the same hash first (the unique index decides).
   */
  async complete(
    uploadId: string,
    sha256: string,
    outcome: SessionOutcome,
  ): Promise<'completed' | 'duplicate' | 'not-processing'> {
    try {
      const row = await this.transition(uploadId, ['processing'], { status: 'completed', sha256, outcome });
      return row ? 'completed' : 'not-processing';
    } catch (error) {
      if (isUniqueViolation(error)) return 'duplicate';
      throw error;
    }
  }

  /** How many sessions the owner opened since `since`, and when the oldest of them was opened. */
  async countOpenedSince(ownerId: string, since: Date): Promise<{ count: number; oldest: Date | null }> {
    const [row] = await this.db
      .select({ count: sql<number>`count(*)::int`, oldest: sql<string | null>`min(${uploadSessions.createdAt})` })
      .from(uploadSessions)
      .where(and(eq(uploadSessions.ownerId, ownerId), gte(uploadSessions.createdAt, since)));
    return { count: row?.count ?? 0, oldest: row?.oldest ? new Date(row.oldest) : null };
  }

  /** Open sessions created before `createdBefore`. */
  listStale(createdBefore: Date, limit = 100): Promise<UploadSessionRow[]> {
    return this.db
      .select()
      .from(uploadSessions)
      .where(and(eq(uploadSessions.status, 'uploading'), lt(uploadSessions.createdAt, createdBefore)))
      .limit(limit);
  }

  /**
   * Takes over sessions whose check has not moved since `untouchedSince` (their instance died):
   * touching them first means only one instance resumes each.
   */
  claimInterruptedChecks(untouchedSince: Date, limit = 10): Promise<UploadSessionRow[]> {
    return this.db
      .update(uploadSessions)
      .set({ updatedAt: sql`now()` })
      .where(
        inArray(
          uploadSessions.uploadId,
          this.db
            .select({ id: uploadSessions.uploadId })
            .from(uploadSessions)
            .where(and(eq(uploadSessions.status, 'processing'), lt(uploadSessions.updatedAt, untouchedSince)))
            .limit(limit)
            .for('update', { skipLocked: true }),
        ),
      )
      .returning();
  }

  /** Renews a session's lease: the sweeper leaves alone a check touched recently. */
  async touch(uploadId: string): Promise<void> {
    await this.db
      .update(uploadSessions)
      .set({ updatedAt: sql`now()` })
      .where(eq(uploadSessions.uploadId, uploadId));
  }

  /** Records that a session's outcome event is on the bus. */
  async markPublished(uploadId: string): Promise<void> {
    await this.db
      .update(uploadSessions)
      .set({ publishedAt: sql`now()` })
      .where(eq(uploadSessions.uploadId, uploadId));
  }

  /** Sessions whose outcome was decided before `decidedBefore` but never published. */
  listUnpublished(decidedBefore: Date, limit = 100): Promise<UploadSessionRow[]> {
    return this.db
      .select()
      .from(uploadSessions)
      .where(
        and(
          isNotNull(uploadSessions.outcome),
          isNull(uploadSessions.publishedAt),
          lt(uploadSessions.updatedAt, decidedBefore),
        ),
      )
      .limit(limit);
  }
}
