import { setImmediate } from 'node:timers/promises';
import type { KnownEvent } from '@tonearm/bus';

/** Writes a batch of events; resolves once it is written (committed). */
export type BatchWrite = (events: KnownEvent[]) => Promise<void>;

/**
 * Runs one write at a time and merges the batches that arrive meanwhile, or in the same turn of
 * the event loop, into the next one, so
 * several consumers (uploads, transcode results, plays) share a transaction instead of queueing
 * for the writer lock one after the other, and a track's upload and transcode result are often
 * written together. When a merged write fails, each batch in it is written again alone, so a
 * batch fails only for its own events.
 *
 * @example
 * const write = coalescedWrites(async (events) => void (await projector.applyBatch(events)));
 * await write(events); // from any number of consumers at once
 */
export function coalescedWrites(write: BatchWrite): BatchWrite {
  let queued: { events: KnownEvent[]; resolve: () => void; reject: (error: unknown) => void }[] = [];
  let draining = false;

  async function drain(): Promise<void> {
    draining = true;
    // Consumers whose batches were committed together hand their next ones within the same turn of
    // the event loop; waiting for the end of that turn lets them share the next write instead of
    // the first of them going alone.
    await setImmediate();
    while (queued.length > 0) {
      const group = queued;
      queued = [];
      try {
        await write(group.flatMap((g) => g.events));
        for (const g of group) g.resolve();
      } catch (error) {
        if (group.length === 1) {
          group[0]!.reject(error);
          continue;
        }
        for (const g of group) await write(g.events).then(g.resolve, g.reject);
      }
      await setImmediate();
    }
    draining = false;
  }

  return (events) =>
    new Promise<void>((resolve, reject) => {
      queued.push({ events, resolve, reject });
      if (!draining) void drain();
    });
}
