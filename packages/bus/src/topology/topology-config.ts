import { AckPolicy, DeliverPolicy, RetentionPolicy, StorageType } from '@nats-io/jetstream';
import type { ConsumerConfig, StreamConfig } from '@nats-io/jetstream';
import { nanos } from '@nats-io/nats-core';
import type { ConsumerDefinition, ConsumerKey, ConsumerSpec, StreamSpec } from '@tonearm/contracts';

/** How long JetStream remembers a `Nats-Msg-Id` to drop a second copy of the same event. */
export const DUPLICATE_WINDOW_MS = 2 * 60_000;

/** Consumer settings a deployment (or a test) may change from the contracts' values. */
export type ConsumerOverride = Partial<Pick<ConsumerDefinition, 'ackWaitMs' | 'maxDeliver' | 'maxAckPending'>>;

/** Per-consumer overrides, by durable name. */
export type ConsumerOverrides = Partial<Record<ConsumerKey, ConsumerOverride>>;

/** A setting that differs between the server and the topology. */
export interface ConfigDrift {
  field: string;
  actual: unknown;
  wanted: unknown;
}

/** The stream configuration the topology asks for. */
export function streamConfigFor(spec: StreamSpec, replicas: number): StreamConfig {
  return {
    name: spec.name,
    subjects: [...spec.subjects],
    description: spec.description,
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    duplicate_window: nanos(DUPLICATE_WINDOW_MS),
    num_replicas: replicas,
  } as StreamConfig;
}

/** The durable pull consumer configuration the topology asks for, overrides applied. */
export function consumerConfigFor(spec: ConsumerSpec, override: ConsumerOverride = {}): Partial<ConsumerConfig> {
  return {
    durable_name: spec.durable,
    description: spec.description,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    ack_wait: nanos(override.ackWaitMs ?? spec.ackWaitMs),
    max_deliver: override.maxDeliver ?? spec.maxDeliver,
    max_ack_pending: override.maxAckPending ?? spec.maxAckPending,
    filter_subject: spec.filterSubject,
  };
}

/** Stream fields the server lets us change in place. */
export const STREAM_UPDATABLE = ['subjects', 'description', 'duplicate_window', 'num_replicas'] as const;
/** Stream fields fixed at creation; a difference needs an operator. */
export const STREAM_FIXED = ['retention', 'storage'] as const;
/** Consumer fields NATS 2.9 lets us change in place. */
export const CONSUMER_UPDATABLE = ['description', 'ack_wait', 'max_deliver', 'max_ack_pending'] as const;
/** Consumer fields fixed at creation on NATS 2.9. */
export const CONSUMER_FIXED = ['ack_policy', 'deliver_policy', 'filter_subject'] as const;

/**
 * The fields of `wanted` (among `fields`) whose value differs on the server. Subject lists are
 * compared as sets; a missing description equals an empty one.
 */
export function configDrift(actual: object, wanted: object, fields: readonly string[]): ConfigDrift[] {
  const a = actual as Record<string, unknown>;
  const w = wanted as Record<string, unknown>;
  return fields.flatMap((field) =>
    JSON.stringify(normalise(a[field])) === JSON.stringify(normalise(w[field]))
      ? []
      : [{ field, actual: a[field], wanted: w[field] }],
  );
}

function normalise(value: unknown): unknown {
  if (Array.isArray(value)) return [...value].sort();
  return value ?? '';
}
