import { Empty, NoRespondersError, type Msg } from '@nats-io/nats-core';
import { instanceHealthSchema, type InstanceHealth, type ServiceInstance, type ServiceName } from '@tonearm/contracts';
import type { Bus } from '../connection/bus-connection.ts';
import { instanceFromInfo } from './srv-responses.ts';

/** Which instances to look for. */
export interface ListInstancesOptions {
  /** Only instances of this service. */
  name?: ServiceName;
  /** How long to gather answers. Default 500 ms. */
  timeoutMs?: number;
  /** Also ask each instance for its health. */
  withHealth?: boolean;
}

/**
 * The live instances of the bus's namespace: every instance that answers `$SRV.INFO` within the
 * timeout, sorted by service name and id.
 *
 * @example
 * const transcoders = await listInstances(bus, { name: 'transcoder', withHealth: true });
 */
export async function listInstances(bus: Bus, options: ListInstancesOptions = {}): Promise<ServiceInstance[]> {
  const timeoutMs = options.timeoutMs ?? 500;
  const subject = options.name ? `$SRV.INFO.${options.name}` : '$SRV.INFO';
  const found = new Map<string, ServiceInstance>();
  try {
    const replies = await bus.nc.requestMany(subject, Empty, { strategy: 'timer', maxWait: timeoutMs });
    for await (const reply of replies) {
      const instance = instanceFromInfo(parseJson(reply));
      if (instance && instance.metadata.namespace === bus.topology.namespace) {
        found.set(`${instance.name}.${instance.id}`, instance);
      }
    }
  } catch (err) {
    if (!(err instanceof NoRespondersError)) throw err;
  }
  const instances = [...found.values()].sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  if (!options.withHealth) return instances;
  return Promise.all(instances.map(async (i) => ({ ...i, health: await healthOf(bus, i, timeoutMs) })));
}

async function healthOf(bus: Bus, instance: ServiceInstance, timeoutMs: number): Promise<InstanceHealth> {
  try {
    const reply = await bus.nc.request(`$SRV.HEALTH.${instance.name}.${instance.id}`, Empty, { timeout: timeoutMs });
    const health = instanceHealthSchema.safeParse((parseJson(reply) as { health?: unknown } | undefined)?.health);
    if (health.success) return health.data;
    return unreachable('the health answer does not match the schema');
  } catch (err) {
    return unreachable(`no health answer: ${(err as Error).message}`);
  }
}

function unreachable(detail: string): InstanceHealth {
  return { status: 'failing', checks: { discovery: { status: 'failing', detail } } };
}

function parseJson(msg: Msg): unknown {
  try {
    return msg.json();
  } catch {
    return undefined;
  }
}
