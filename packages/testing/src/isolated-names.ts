import { randomBytes } from 'node:crypto';

/**
 * A bus namespace of its own for one test: its subjects, streams, consumers and KV buckets
 * share nothing with other tests or with a running platform on the same NATS server.
 *
 * @example
 * const topology = busTopology(isolatedNamespace());
 */
export function isolatedNamespace(label = 't'): string {
  return `${label}-${randomBytes(5).toString('hex')}`;
}

/** A name for a database schema, bucket prefix or Redis key prefix of one test. */
export function isolatedName(label = 't'): string {
  return `${label}_${randomBytes(5).toString('hex')}`;
}
