import { objectKeys } from '@tonearm/contracts';
import type { Logger } from '@tonearm/runtime';
import type { PresignedMultipart } from '@tonearm/storage';
import type { UploadSessionRepository } from '../repositories/upload-session.repository.ts';
import type { UploadCompletionService } from './upload-completion.service.ts';

/** What the sweeper needs. */
export interface UploadSweeperDeps {
  sessions: UploadSessionRepository;
  multipart: PresignedMultipart;
  completion: UploadCompletionService;
  logger: Logger;
  /** An open upload older than this is aborted. */
  staleAfterMs: number;
  /** A check or an outcome that has not moved for this long is taken over. */
  retryAfterMs: number;
}

/** What one sweep did. */
export interface SweepReport {
  expired: number;
  resumedChecks: number;
  republished: number;
}

/**
 * Housekeeping of upload sessions, run periodically by every instance (each row is taken by one):
 * aborts uploads left open too long, so their parts stop costing storage; runs again the checks
 * an instance died in the middle of; publishes outcome events recorded but never sent.
 *
 * @example
 * const timer = setInterval(() => void sweeper.sweep(), env.UPLOAD_SWEEP_INTERVAL_MS);
 */
export class UploadSweeperService {
  private readonly deps: UploadSweeperDeps;

  constructor(deps: UploadSweeperDeps) {
    this.deps = deps;
  }

  async sweep(now = new Date()): Promise<SweepReport> {
    const { sessions, multipart, completion, logger } = this.deps;
    const report: SweepReport = { expired: 0, resumedChecks: 0, republished: 0 };

    const hours = Math.round((this.deps.staleAfterMs / 3_600_000) * 10) / 10;
    for (const session of await sessions.listStale(new Date(now.getTime() - this.deps.staleAfterMs))) {
      await multipart.abort(objectKeys.source(session.trackId), session.s3UploadId);
      await multipart.store.deletePrefix(objectKeys.source(session.trackId));
      const expired = await sessions.transition(session.uploadId, ['uploading'], {
        status: 'expired',
        reason: `the upload was not finished within ${hours} hours`,
      });
      if (expired) {
        report.expired++;
        logger.info({ uploadId: session.uploadId, trackId: session.trackId }, 'stale upload aborted');
      }
    }

    const retryBefore = new Date(now.getTime() - this.deps.retryAfterMs);
    for (const session of await sessions.claimInterruptedChecks(retryBefore)) {
      report.resumedChecks++;
      logger.info({ uploadId: session.uploadId, trackId: session.trackId }, 'resuming an interrupted upload check');
      completion.start(session);
    }
    for (const session of await sessions.listUnpublished(retryBefore)) {
      await completion.publishOutcome(session, session.outcome!);
      report.republished++;
    }
    return report;
  }
}
