import cluster from 'node:cluster';
import { randomBytes } from 'node:crypto';
import { ConfigError, createLogger, loadEnv } from '@tonearm/runtime';
import { baseEnvShape } from '@tonearm/service-host';
import { edgeEnvShape, edgeWorkersShape } from './config/edge-env.ts';
import { useCacheFriendlyMalloc } from './config/malloc-settings.ts';
import { superviseEdgeWorkers, workerEnv } from './http/edge-workers.ts';

// Before anything is allocated worth keeping: this may start the process again in place.
if (cluster.isPrimary) useCacheFriendlyMalloc(process.env);

let workers = 1;
let opsPort = 0;
let mediaSecret: string | undefined;
if (cluster.isPrimary) {
  try {
    const env = loadEnv({
      OPS_PORT: baseEnvShape('edge').OPS_PORT,
      EDGE_MEDIA_SECRET: edgeEnvShape.EDGE_MEDIA_SECRET,
      ...edgeWorkersShape,
    });
    workers = env.EDGE_WORKERS;
    opsPort = env.OPS_PORT;
    mediaSecret = env.EDGE_MEDIA_SECRET;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(78);
  }
}

if (cluster.isPrimary && workers > 1) {
  const logger = createLogger({ service: 'edge', instanceId: `primary-${process.pid}` });
  logger.info({ workers }, 'starting edge workers');
  if (!mediaSecret) {
    // One key for all workers, or a playback URL minted by one would fail on the others.
    logger.warn('EDGE_MEDIA_SECRET is unset: playback URLs work on this edge only (its workers share a random key)');
  }
  const settings = {
    count: workers,
    opsPort,
    mediaSecret: mediaSecret ?? randomBytes(32).toString('base64url'),
  };
  // The primary is worker 0 itself: its own instance reads the same settings as the others.
  Object.assign(process.env, workerEnv(0, settings));
  const group = superviseEdgeWorkers({ ...settings, log: (message) => logger.warn(message) });
  const { service } = await import('./edge-instance.ts');
  service.onShutdown(() => group.stop());
} else {
  await import('./edge-instance.ts');
}
