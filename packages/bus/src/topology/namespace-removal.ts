import { JetStreamApiError } from '@nats-io/jetstream';
import type { Bus } from '../connection/bus-connection.ts';

/**
 * Deletes every stream of the bus's namespace and its settings bucket, with all they hold. For
 * tearing down a test run or a throwaway install; a production namespace is never dropped.
 *
 * @example
 * afterAll(async () => { await dropNamespace(bus); await bus.close(); });
 */
export async function dropNamespace(bus: Bus): Promise<void> {
  const names = [...bus.topology.streams.map((s) => s.name), `KV_${bus.topology.settingsBucket}`];
  for (const name of names) {
    await bus.jsm.streams.delete(name).catch((error: unknown) => {
      if (!(error instanceof JetStreamApiError)) throw error;
    });
  }
}
