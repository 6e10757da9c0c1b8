import { busTopology, DEFAULT_NAMESPACE } from '@tonearm/contracts';

/** The NATS server the operator commands reach when neither `--nats` nor `NATS_URL` says otherwise. */
export const DEFAULT_NATS_URL = 'nats://127.0.0.1:4222';

/** Where an operator command connects: the NATS server and the bus namespace. */
export interface BusConnectionArgs {
  nats: string;
  namespace: string;
}

function natsUrl(value: string, fail: (message: string) => Error): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw fail(`--nats must be a nats:// or tls:// URL, not "${value}"`);
  }
  if (url.protocol !== 'nats:' && url.protocol !== 'tls:') {
    throw fail(`--nats must be a nats:// or tls:// URL, not "${value}"`);
  }
  return value;
}

function busNamespace(value: string, fail: (message: string) => Error): string {
  try {
    busTopology(value);
  } catch (error) {
    throw fail(`--namespace: ${(error as Error).message}`);
  }
  return value;
}

/**
 * `--nats` and `--namespace`, falling back to `NATS_URL` and `BUS_NAMESPACE`, then the defaults.
 * `fail` builds the error thrown for a bad value (the caller's usage error).
 *
 * @example
 * busConnectionArgs({}, { BUS_NAMESPACE: 'staging' }, (m) => new Error(m)); // { nats: 'nats://127.0.0.1:4222', namespace: 'staging' }
 */
export function busConnectionArgs(
  flags: { nats?: string | undefined; namespace?: string | undefined },
  env: Record<string, string | undefined>,
  fail: (message: string) => Error,
): BusConnectionArgs {
  return {
    nats: natsUrl(flags.nats ?? (env.NATS_URL || DEFAULT_NATS_URL), fail),
    namespace: busNamespace(flags.namespace ?? (env.BUS_NAMESPACE || DEFAULT_NAMESPACE), fail),
  };
}
