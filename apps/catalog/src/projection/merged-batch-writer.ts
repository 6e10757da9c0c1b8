import type { KnownEvent } from '@tonearm/bus';

/** Where the stream readers of a replay hand their batches. */
export interface MergedBatchWriter {
  /** Hands a reader's batch in; resolves once it is taken into a write, so the reader reads on meanwhile. */
  hand(events: KnownEvent[]): Promise<void>;
  /** Says a reader has nothing more to hand in. */
  done(): void;
  /** Resolves when every batch handed in is written; rejects with the first failed write. */
  flushed(): Promise<void>;
}

/**
 * Writes the batches of several concurrent readers together: once every reader still reading
 * has handed one in, their events make one write. Streams are read at about the same pace, so
 * events of one aggregate from different streams (an upload and its transcode result) mostly
 * land in one write and its row is written once. One write runs at a time; while it does, the
 * readers assemble the next group.
 *
 * @example
 * const writer = mergedBatchWriter(streams.length, (events) => projector.applyBatch(events));
 */
export function mergedBatchWriter(
  readers: number,
  write: (events: KnownEvent[]) => Promise<unknown>,
): MergedBatchWriter {
  let active = readers;
  let waiting: { events: KnownEvent[]; taken: () => void }[] = [];
  let writes: Promise<void> = Promise.resolve();
  let failure: { error: unknown } | undefined;

  const flushIfAllHandedIn = () => {
    if (waiting.length === 0 || waiting.length < active) return;
    const group = waiting;
    waiting = [];
    const events = group.flatMap((g) => g.events);
    writes = writes.then(async () => {
      if (failure) return;
      try {
        await write(events);
      } catch (error) {
        failure = { error };
      }
    });
    for (const g of group) g.taken();
  };

  return {
    hand(events) {
      if (failure) return Promise.reject(failure.error);
      return new Promise((taken) => {
        waiting.push({ events, taken });
        flushIfAllHandedIn();
      });
    },
    done() {
      active--;
      flushIfAllHandedIn();
    },
    async flushed() {
      await writes;
      if (failure) throw failure.error;
    },
  };
}
