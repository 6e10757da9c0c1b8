import { collectDefaultMetrics, Registry } from 'prom-client';

/**
 * A Prometheus registry for one process, with the default Node.js metrics and the service and
 * instance as labels on every series.
 */
export function createMetricsRegistry(options: { service: string; instanceId: string }): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service: options.service, instance: options.instanceId });
  collectDefaultMetrics({ register: registry });
  return registry;
}

export { Registry } from 'prom-client';
