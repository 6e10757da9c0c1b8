import cluster from 'node:cluster';
import { ConfigError, createLogger, loadEnv } from '@tonearm/runtime';
import { baseEnvShape } from '@tonearm/service-host';
import { edgeWorkersShape } from './config/edge-env.ts';
import { superviseEdgeWorkers } from './http/edge-workers.ts';

let workers = 1;
let opsPort = 0;
if (cluster.isPrimary) {
  try {
    const env = loadEnv({ OPS_PORT: baseEnvShape('edge').OPS_PORT, ...edgeWorkersShape });
    workers = env.EDGE_WORKERS;
    opsPort = env.OPS_PORT;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(78);
  }
}

if (cluster.isPrimary && workers > 1) {
  const logger = createLogger({ service: 'edge', instanceId: `primary-${process.pid}` });
  logger.info({ workers }, 'starting edge workers');
  superviseEdgeWorkers({ count: workers, opsPort, log: (message) => logger.warn(message) });
} else {
  await import('./edge-instance.ts');
}
