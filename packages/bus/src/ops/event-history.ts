import { DeliverPolicy, type ConsumerMessages, type JsMsg } from '@nats-io/jetstream';
import { anyEventSchema, type AnyEvent, type BusTopology, type StreamSpec } from '@tonearm/contracts';
import type { Bus } from '../connection/bus-connection.ts';

/** One message of the namespace's streams as an operator sees it. */
export interface StreamedEvent {
  stream: string;
  /** Sequence of the message in its stream. */
  seq: number;
  subject: string;
  /** When the stream stored it. */
  storedAt: Date;
  /** The event, or null when the message is not a well-formed event (it is shown all the same). */
  event: AnyEvent | null;
}

/** Which events to read. */
export interface ReadEventsOptions {
  /** Subject pattern after the namespace, such as `ingest.>` or `*.upload.>`. Default `>` (everything). */
  subject?: string;
  /** Start with the events stored since then; without it only events stored from now on come. */
  since?: Date;
  /** Keep waiting for new events after the past ones (default true); false ends after the past. */
  follow?: boolean;
  /** Ends the reading (the iterator then finishes). */
  signal?: AbortSignal;
  /** Called once the readers exist: an event stored from then on will be read. */
  onReady?: () => void;
}

/** A subject pattern that cannot select events of the namespace. */
export class EventFilterError extends Error {
  override name = 'EventFilterError';
}

const TOKEN = /^([a-z0-9-]+|\*)$/;

/**
 * The filter subject of each stream a pattern (after the namespace) can match: the pattern's
 * first token names a stream (`ingest.>`), or is a wildcard and so matches every stream.
 *
 * @throws EventFilterError for a pattern that is malformed or names no stream
 * @example
 * streamFilters(busTopology('tonearm'), 'ingest.>'); // [{ stream: TONEARM_INGEST spec, filter: 'tonearm.ingest.>' }]
 */
export function streamFilters(topology: BusTopology, pattern: string): { stream: StreamSpec; filter: string }[] {
  const tokens = pattern.split('.');
  const last = tokens.length - 1;
  const wellFormed = tokens.every((t, i) => TOKEN.test(t) || (t === '>' && i === last));
  const keys = topology.streams.map((s) => s.key);
  if (!wellFormed || pattern === '*') {
    throw new EventFilterError(`subject "${pattern}" must be a pattern such as ingest.> or *.upload.completed.v1`);
  }
  const [first, ...rest] = tokens;
  const wildcard = first === '*' || first === '>';
  if (!wildcard && !keys.includes(first as StreamSpec['key'])) {
    throw new EventFilterError(`subject "${pattern}" must start with one of ${keys.join(', ')}, * or >`);
  }
  return topology.streams
    .filter((s) => wildcard || s.key === first)
    .map((stream) => ({
      stream,
      filter: [topology.namespace, stream.key, ...(first === '>' ? ['>'] : rest)].join('.'),
    }));
}

function toStreamedEvent(msg: JsMsg): StreamedEvent {
  let event: AnyEvent | null = null;
  try {
    const parsed = anyEventSchema.safeParse(msg.json());
    if (parsed.success) event = parsed.data;
  } catch {
    event = null;
  }
  return {
    stream: msg.info.stream,
    seq: msg.seq,
    subject: msg.subject,
    storedAt: msg.time,
    event,
  };
}

/** A queue several stream readers push into and one reader drains. */
function mergeQueue<T>() {
  const items: T[] = [];
  let wake: (() => void) | undefined;
  return {
    push(item: T) {
      items.push(item);
      wake?.();
    },
    async next(signal: AbortSignal): Promise<T | undefined> {
      while (items.length === 0 && !signal.aborted) {
        await new Promise<void>((resolve) => {
          wake = resolve;
          signal.addEventListener('abort', () => resolve(), { once: true });
        });
        wake = undefined;
      }
      return items.shift();
    },
  };
}

/**
 * Reads the events of the namespace's streams with one ordered JetStream consumer per stream
 * the subject can match (no durable state, nothing acknowledged, gone when the reading ends):
 * first those stored since `since`, oldest first across streams, then each new one as it is
 * stored. Request/reply traffic is not in the streams and does not appear.
 *
 * @throws EventFilterError for a subject pattern that matches no stream
 * @example
 * for await (const { event } of readEvents(bus, { subject: 'transcode.>', since: new Date(Date.now() - 600_000) })) {
 *   console.log(event?.type);
 * }
 */
export async function* readEvents(bus: Bus, options: ReadEventsOptions = {}): AsyncGenerator<StreamedEvent> {
  const filters = streamFilters(bus.topology, options.subject ?? '>');
  const follow = options.follow ?? true;
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const readers: ConsumerMessages[] = [];
  stop.signal.addEventListener('abort', () => readers.forEach((messages) => messages.stop()), { once: true });
  const consumers = await Promise.all(
    filters.map(({ stream, filter }) =>
      bus.js.consumers.get(stream.name, {
        filter_subjects: filter,
        ...(options.since
          ? { deliver_policy: DeliverPolicy.StartTime, opt_start_time: options.since.toISOString() }
          : { deliver_policy: DeliverPolicy.New }),
      }),
    ),
  );
  options.onReady?.();
  try {
    const live = mergeQueue<StreamedEvent>();
    const past: StreamedEvent[][] = await Promise.all(
      consumers.map(async (consumer) => {
        const pastCount = (await consumer.info(true)).num_pending;
        const events: StreamedEvent[] = [];
        if (pastCount === 0 && !follow) return events;
        const messages = await consumer.consume();
        readers.push(messages);
        const iterator = messages[Symbol.asyncIterator]();
        while (events.length < pastCount) {
          const next = await iterator.next();
          if (next.done) return events;
          events.push(toStreamedEvent(next.value));
        }
        if (follow) {
          void (async () => {
            for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
              live.push(toStreamedEvent(next.value));
            }
          })().catch(() => stop.abort());
        }
        return events;
      }),
    );
    yield* past.flat().sort((a, b) => a.storedAt.getTime() - b.storedAt.getTime());
    if (!follow) return;
    for (let event = await live.next(stop.signal); event; event = await live.next(stop.signal)) yield event;
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    for (const messages of readers) messages.stop();
    await Promise.all(consumers.map((c) => c.delete().catch(() => false)));
  }
}
