import { listInstances, type Bus } from '@tonearm/bus';
import type { ServiceInstance, ServiceName } from '@tonearm/contracts';
import type { Logger } from '@tonearm/runtime';

/** The live instances of one service, kept fresh from discovery, handed out in turn. */
export interface InstanceDirectory {
  /** The next instance in round-robin order, or undefined when none is live. */
  next(): ServiceInstance | undefined;
  size(): number;
  refresh(): Promise<void>;
  stop(): void;
}

/**
 * Follows the instances of a service through discovery on the bus, so no address is configured:
 * a new instance is used within `refreshMs`, one that stops answering is dropped as soon.
 *
 * @example
 * const web = watchInstances(bus, 'web', { logger });
 * const target = web.next()?.metadata.httpUrl;
 */
export function watchInstances(
  bus: Bus,
  name: ServiceName,
  options: { logger: Logger; refreshMs?: number; accept?: (instance: ServiceInstance) => boolean },
): InstanceDirectory {
  let instances: ServiceInstance[] = [];
  let turn = 0;
  const accept = options.accept ?? (() => true);
  const refresh = async () => {
    try {
      const found = (await listInstances(bus, { name })).filter(accept);
      found.sort((a, b) => a.id.localeCompare(b.id));
      if (found.map((i) => i.id).join() !== instances.map((i) => i.id).join()) {
        options.logger.info({ service: name, instances: found.map((i) => i.id) }, 'instances changed');
      }
      instances = found;
    } catch (error) {
      options.logger.warn({ err: error, service: name }, 'discovery failed; keeping the last known instances');
    }
  };
  const timer = setInterval(() => void refresh(), options.refreshMs ?? 2_000);
  timer.unref();
  return {
    next: () => (instances.length === 0 ? undefined : instances[turn++ % instances.length]),
    size: () => instances.length,
    refresh,
    stop: () => clearInterval(timer),
  };
}
