/** How many recoveries in a row a track gets before the player gives up and says so. */
export const maxRecoveries = 3;
/** Playback this far (seconds) past where a recovery resumed shows the stream works again, so the count starts over. */
export const recoveredAfterSeconds = 5;

/**
 * Counts the recoveries of the track playing (a fresh playback URL and a seek back after a
 * network error, a stall or an expired media token), so a stream that keeps failing ends in a
 * message instead of an endless loop of requests; a stretch of playback past the resume point
 * gives the track its full budget again (a long track may lose its token or network many times).
 * @example
 * const budget = new RecoveryBudget();
 * if (budget.attempt(track.id, position)) reload(); else showError();
 * budget.played(track.id, audio.currentTime); // on timeupdate
 */
export class RecoveryBudget {
  #trackId: string | null = null;
  #attempts = 0;
  /** Where the last recovery resumed, or null once playback went well past it. */
  #resumedAt: number | null = null;
  #max: number;

  constructor(max = maxRecoveries) {
    this.#max = max;
  }

  /** Recoveries spent on the current failure streak. */
  get attempts(): number {
    return this.#attempts;
  }

  /** Takes one recovery for `trackId` resuming at `position`; false when the streak has used them all. */
  attempt(trackId: string, position: number): boolean {
    if (this.#trackId !== trackId) this.reset(trackId);
    if (this.#attempts >= this.#max) return false;
    this.#attempts += 1;
    this.#resumedAt = position;
    return true;
  }

  /** Playback of `trackId` reached `position`: far enough past the resume point, the streak ends. */
  played(trackId: string, position: number): void {
    if (this.#trackId !== trackId || this.#resumedAt === null) return;
    if (position - this.#resumedAt >= recoveredAfterSeconds) this.reset(trackId);
  }

  /** Starts over (another track, or the listener started playback again). */
  reset(trackId: string | null = null): void {
    this.#trackId = trackId;
    this.#attempts = 0;
    this.#resumedAt = null;
  }
}
