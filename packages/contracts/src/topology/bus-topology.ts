import type { EventType } from '../events/catalogue.ts';

/** The namespace of a production install; tests use their own so they never share a stream. */
export const DEFAULT_NAMESPACE = 'tonearm';

const NAMESPACE_PATTERN = /^[a-z][a-z0-9_-]{0,31}$/;

/** The streams, one per publishing domain. Each keeps every event of its domain (limits retention). */
export const streamDefinitions = {
  identity: { description: 'Accounts and signing keys' },
  ingest: { description: 'Uploads accepted or refused' },
  transcode: { description: 'HLS renditions, loudness and waveforms produced or failed' },
  catalog: { description: 'Catalog changes made by users, such as deletions' },
  playback: { description: 'Listening events from the edge' },
  ops: { description: 'Dead letters and other operational events' },
} as const;

/** The key of a stream, which is also the first segment of the event types it holds. */
export type StreamKey = keyof typeof streamDefinitions;

/** How a durable consumer is set up; the bus creates or updates it to match at start. */
export interface ConsumerDefinition {
  stream: StreamKey;
  /** One event type, or undefined for every event of the stream (NATS 2.9 allows one filter). */
  eventType?: EventType;
  description: string;
  ackWaitMs: number;
  maxDeliver: number;
  maxAckPending: number;
}

/** The durable consumers of the platform, by durable name. */
export const consumerDefinitions = {
  transcoder: {
    stream: 'ingest',
    eventType: 'ingest.upload.completed.v1',
    description: 'Transcoder work queue, shared by every transcoder worker',
    ackWaitMs: 60_000,
    maxDeliver: 5,
    maxAckPending: 64,
  },
  'catalog-identity': {
    stream: 'identity',
    description: 'Catalog projection of accounts',
    ackWaitMs: 30_000,
    maxDeliver: 10,
    maxAckPending: 256,
  },
  'catalog-ingest': {
    stream: 'ingest',
    description: 'Catalog projection of uploads',
    ackWaitMs: 30_000,
    maxDeliver: 10,
    // Above the projector's batch, so the next batch is on its way while one is being written.
    maxAckPending: 1024,
  },
  'catalog-transcode': {
    stream: 'transcode',
    description: 'Catalog projection of transcoding results',
    ackWaitMs: 30_000,
    maxDeliver: 10,
    // Above the projector's batch, so the next batch is on its way while one is being written.
    maxAckPending: 1024,
  },
  'catalog-catalog': {
    stream: 'catalog',
    description: 'Catalog projection of user changes',
    ackWaitMs: 30_000,
    maxDeliver: 10,
    maxAckPending: 256,
  },
  'catalog-playback': {
    stream: 'playback',
    description: 'Play counts and listening history',
    ackWaitMs: 30_000,
    maxDeliver: 10,
    maxAckPending: 1024,
  },
  'storage-cleanup': {
    stream: 'catalog',
    eventType: 'catalog.track.deleted.v1',
    description: 'Ingest removes the objects of deleted tracks',
    ackWaitMs: 60_000,
    maxDeliver: 10,
    maxAckPending: 64,
  },
} as const satisfies Record<string, ConsumerDefinition>;

/** The durable name of a consumer. */
export type ConsumerKey = keyof typeof consumerDefinitions;

/** A stream as created on the server. */
export interface StreamSpec {
  key: StreamKey;
  name: string;
  subjects: string[];
  description: string;
}

/** A durable consumer as created on the server. */
export interface ConsumerSpec extends ConsumerDefinition {
  durable: ConsumerKey;
  streamName: string;
  filterSubject: string;
}

/** Names of the bus objects of one namespace: subjects, streams, consumers, buckets. */
export interface BusTopology {
  namespace: string;
  streams: StreamSpec[];
  consumers: ConsumerSpec[];
  /** The KV bucket of runtime settings. */
  settingsBucket: string;
  /** The subject an event type is published on. */
  subjectOf(type: EventType): string;
  /** The event type a subject carries, when it is one of this namespace's. */
  typeOfSubject(subject: string): string | undefined;
  stream(key: StreamKey): StreamSpec;
  consumer(key: ConsumerKey): ConsumerSpec;
  /** The stream key of an event type (its first segment). */
  streamOf(type: EventType): StreamKey;
}

/**
 * The bus objects of a namespace. Every subject starts with the namespace and every stream
 * name with its upper-case form, so several installs or test runs can share one NATS server.
 *
 * @example
 * const topology = busTopology('tonearm');
 * topology.subjectOf('ingest.upload.completed.v1'); // 'tonearm.ingest.upload.completed.v1'
 * topology.stream('ingest').name; // 'TONEARM_INGEST'
 */
export function busTopology(namespace: string = DEFAULT_NAMESPACE): BusTopology {
  if (!NAMESPACE_PATTERN.test(namespace)) {
    throw new Error(`bus namespace "${namespace}" must match ${NAMESPACE_PATTERN}`);
  }
  const prefix = namespace.toUpperCase().replaceAll('-', '_');
  const streams = Object.entries(streamDefinitions).map(([key, def]) => ({
    key: key as StreamKey,
    name: `${prefix}_${key.toUpperCase()}`,
    subjects: [`${namespace}.${key}.>`],
    description: def.description,
  }));
  const byKey = new Map(streams.map((s) => [s.key, s]));
  const stream = (key: StreamKey): StreamSpec => byKey.get(key)!;
  const subjectOf = (type: EventType) => `${namespace}.${type}`;
  const consumers = Object.entries(consumerDefinitions).map(([durable, def]): ConsumerSpec => {
    const d: ConsumerDefinition = def;
    return {
      ...d,
      durable: durable as ConsumerKey,
      streamName: stream(d.stream).name,
      filterSubject: d.eventType ? subjectOf(d.eventType) : `${namespace}.${d.stream}.>`,
    };
  });
  const consumersByKey = new Map(consumers.map((c) => [c.durable, c]));
  return {
    namespace,
    streams,
    consumers,
    settingsBucket: `${namespace}-settings`,
    subjectOf,
    typeOfSubject: (subject) => (subject.startsWith(`${namespace}.`) ? subject.slice(namespace.length + 1) : undefined),
    stream,
    consumer: (key) => consumersByKey.get(key)!,
    streamOf: (type) => type.slice(0, type.indexOf('.')) as StreamKey,
  };
}
