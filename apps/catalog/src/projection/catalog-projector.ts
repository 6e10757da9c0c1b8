import type { KnownEvent } from '@tonearm/bus';
import type { CatalogDb } from '../repositories/catalog-database.ts';
import { projectionTransaction, type ProjectionTarget } from '../repositories/projection-transaction.ts';
import { projectBatch, type ProjectionOutcome } from './batch-projection.ts';

export type { ProjectionOutcome } from './batch-projection.ts';

/** Postgres errors that a second attempt of the same transaction can get past. */
const RETRYABLE = new Set(['40001', '40P01', '23505']);
const ATTEMPTS = 5;

export type { ProjectionTarget } from '../repositories/projection-transaction.ts';

/**
 * Applies events to the read model, each exactly once in effect, a batch per transaction: the
 * event ids go into `processed_events` in the same transaction as their changes, so a
 * redelivery is a no-op (see {@link projectBatch}).
 *
 * Live, each transaction first takes the swap lock shared (a rebuild's swap waits for it) and
 * then the writer lock, so projections of several consumers or instances take turns and their
 * set-based refreshes of artists and albums never race. A shadow projector is the rebuild's only
 * writer: no locks, and commits need not wait for the disk.
 *
 * @example
 * const projector = new CatalogProjector(database.db);
 * await projector.applyBatch(events);
 */
export class CatalogProjector {
  readonly db: CatalogDb;
  readonly target: ProjectionTarget;
  readonly onApplied: ((event: KnownEvent, outcome: ProjectionOutcome) => void) | undefined;

  constructor(
    db: CatalogDb,
    options: { target?: ProjectionTarget; onApplied?: (event: KnownEvent, outcome: ProjectionOutcome) => void } = {},
  ) {
    this.db = db;
    this.target = options.target ?? 'live';
    this.onApplied = options.onApplied;
  }

  /** Applies one event in its own transaction. */
  async apply(event: KnownEvent): Promise<ProjectionOutcome> {
    const [outcome] = await this.applyBatch([event]);
    return outcome!;
  }

  /**
   * Applies events in one transaction, retrying it on deadlocks and serialisation failures.
   * Answers each event's outcome, in order; a second copy of an id in the batch is a duplicate.
   */
  async applyBatch(events: KnownEvent[]): Promise<ProjectionOutcome[]> {
    const byId = await this.withRetry(() =>
      projectionTransaction(this.db, this.target, (repository) => projectBatch(repository, events)),
    );
    const seen = new Set<string>();
    const outcomes = events.map((event) => {
      const outcome = seen.has(event.id) ? 'duplicate' : byId.get(event.id)!;
      seen.add(event.id);
      return outcome;
    });
    if (this.onApplied) events.forEach((event, i) => this.onApplied!(event, outcomes[i]!));
    return outcomes;
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
}

function postgresCode(error: unknown): string | undefined {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}
