import cluster, { type Worker } from 'node:cluster';

/** The message a worker sends its primary once its public port listens. */
export const WORKER_READY = 'edge-worker-ready';

/** What the primary gives every worker on top of its own environment. */
export interface WorkerSettings {
  /** How many workers run: each keeps that share of the segment cache bound. */
  count: number;
  /** The primary's `OPS_PORT`: worker 0 answers on it. */
  opsPort: number;
  /** The playback token key all workers must share (made by the primary when none is configured). */
  mediaSecret: string;
}

/**
 * The environment of worker `index` (0-based): every worker listens on the public port with
 * SO_REUSEPORT (the kernel spreads connections over them) and has its own operations server so
 * each one's `/metrics` can be scraped. Worker 0 keeps `OPS_PORT` (what start-up and health
 * probes ask); the others take any free port, announced as their `opsUrl` in discovery, because
 * the ports after `OPS_PORT` belong to other services (the web app's is the edge's + 1).
 *
 * @example
 * workerEnv(1, { count: 2, opsPort: 9105, mediaSecret }); // { ..., OPS_PORT: '0', EDGE_WORKERS: '2' }
 */
export function workerEnv(index: number, settings: WorkerSettings): Record<string, string> {
  return {
    EDGE_WORKER_INDEX: String(index),
    EDGE_WORKERS: String(settings.count),
    EDGE_REUSE_PORT: 'true',
    EDGE_MEDIA_SECRET: settings.mediaSecret,
    OPS_PORT: String(index === 0 ? settings.opsPort : 0),
  };
}

/** The workers the primary runs beside its own edge instance. */
export interface EdgeWorkerGroup {
  /** Sends every worker SIGTERM and resolves once all have exited; none is replaced after. */
  stop(): Promise<void>;
}

/**
 * Runs workers 1 to `count - 1` with node:cluster beside the primary's own edge instance (worker
 * 0: a separate supervising process would cost a whole Node process of memory for nothing), and
 * keeps them running: a worker that dies after it was ready is replaced; one that dies before (a
 * bad variable, a port in use) stops them all and the process exits with its code, so a broken
 * configuration fails start-up like a single process does. Each worker is a whole edge instance
 * (its own bus connection, metrics and session cache); sessions and rate limits live in Redis,
 * so which worker answers does not matter. Workers also exit when the primary does (node:cluster
 * ends a worker whose primary's channel closes).
 *
 * @example
 * const group = superviseEdgeWorkers({ count: 2, opsPort: 9105, mediaSecret, log });
 * service.onShutdown(() => group.stop());
 */
export function superviseEdgeWorkers(options: WorkerSettings & { log: (message: string) => void }): EdgeWorkerGroup {
  let stopping = false;
  const live = new Set<Worker>();
  const ready = new Set<Worker>();
  let allExited: () => void = () => undefined;
  const exited = new Promise<void>((resolve) => (allExited = resolve));
  const stop = () => {
    stopping = true;
    if (live.size === 0) allExited();
    for (const worker of live) worker.process.kill('SIGTERM');
    return exited;
  };
  const fork = (index: number) => {
    const worker = cluster.fork(workerEnv(index, options));
    live.add(worker);
    worker.on('message', (message: unknown) => {
      if (message === WORKER_READY) ready.add(worker);
    });
    worker.once('exit', (code, signal) => {
      live.delete(worker);
      const wasReady = ready.delete(worker);
      if (stopping) {
        if (live.size === 0) allExited();
        return;
      }
      if (!wasReady) {
        options.log(`edge worker ${index} exited before it was ready (code ${code}); stopping`);
        void stop().then(() => process.exit(code || 1));
        return;
      }
      options.log(`edge worker ${index} exited (code ${code}, signal ${signal}); starting another`);
      fork(index);
    });
  };
  for (let index = 1; index < options.count; index++) fork(index);
  return { stop };
}
