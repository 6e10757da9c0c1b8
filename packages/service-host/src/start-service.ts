import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import {
  announceService,
  connectBus,
  openSettings,
  provisionTopology,
  serveRpc,
  type Bus,
  type ConsumerOverrides,
  type RpcHandler,
  type ServiceAnnouncement,
  type SettingsStore,
} from '@tonearm/bus';
import type { InstanceHealth, RpcDefinition, ServiceName } from '@tonearm/contracts';
import {
  ConfigError,
  createLogger,
  createMetricsRegistry,
  loadEnv,
  runHealthChecks,
  startOpsServer,
  type HealthCheck,
  type Logger,
  type Registry,
} from '@tonearm/runtime';
import { Gauge } from 'prom-client';
import type { z } from 'zod';
import { baseEnvShape, type BaseEnv } from './base-env.ts';
import { runShutdownHooks, type ShutdownHook } from './shutdown-hooks.ts';

/** How a service describes itself to the host. */
export interface ServiceOptions<S extends z.ZodRawShape> {
  name: ServiceName;
  version: string;
  description: string;
  /** Variables of this service, validated with the common ones; a bad value stops start-up naming it. */
  env?: S;
  /** Public HTTP base URL of this instance (edge, web), published in discovery. */
  httpUrl?: string;
  healthChecks?: Record<string, HealthCheck>;
  /** Exit on SIGTERM or SIGINT once shut down, and on a configuration error. On by default; tests turn it off. */
  ownsProcess?: boolean;
  /** Environment to read instead of `process.env`. */
  environment?: NodeJS.ProcessEnv;
  /** Consumer settings this process's configuration changes (e.g. a longer ack wait), applied when it provisions. */
  consumerOverrides?: (env: BaseEnv & z.infer<z.ZodObject<S>>) => ConsumerOverrides;
}

/** A started service: its configuration, logger, metrics, bus and settings, and its shutdown. */
export interface RunningService<S extends z.ZodRawShape = z.ZodRawShape> {
  name: ServiceName;
  version: string;
  instanceId: string;
  env: BaseEnv & z.infer<z.ZodObject<S>>;
  logger: Logger;
  metrics: Registry;
  bus: Bus;
  settings: SettingsStore;
  opsUrl: string;
  /** Runs every health check now: the bus, the service's own and those added later. */
  health(): Promise<InstanceHealth>;
  addHealthCheck(name: string, check: HealthCheck): void;
  /** Answers an operation of this service on the bus; every instance shares the requests. */
  serve<D extends RpcDefinition>(definition: D, handler: RpcHandler<D>): void;
  /**
   * Resolves once NATS has every subscription made so far, so an operation served before it is
   * answered from the first request (before, a caller can meet "no responders").
   */
  listening(): Promise<void>;
  /** Registers work to finish on shutdown; hooks run last-registered first, before the bus drains. */
  onShutdown(hook: ShutdownHook): void;
  /** Stops the service: hooks, discovery, settings, bus, ops server. Exits the process when it owns it. */
  shutdown(exitCode?: number): Promise<void>;
}

/**
 * Starts the common part of every Tonearm service: reads and validates the environment, makes
 * the logger and metrics, connects to the bus and provisions its streams and consumers, opens
 * the live settings, serves `/healthz`, `/metrics` and `/settings`, announces the instance for
 * discovery and stops all of it in order on SIGTERM or SIGINT.
 *
 * @example
 * const service = await startService({ name: 'transcoder', version, description: 'HLS transcoder' });
 * const consumer = consume(service.bus, 'transcoder', handler);
 * service.onShutdown(() => consumer.stop());
 */
export async function startService<S extends z.ZodRawShape = Record<never, never>>(
  options: ServiceOptions<S>,
): Promise<RunningService<S>> {
  const ownsProcess = options.ownsProcess ?? true;
  let env: RunningService<S>['env'];
  try {
    env = loadEnv({ ...baseEnvShape(options.name), ...options.env }, options.environment) as RunningService<S>['env'];
  } catch (error) {
    if (ownsProcess && error instanceof ConfigError) {
      process.stderr.write(`${options.name}: ${error.message}\n`);
      process.exit(78);
    }
    throw error;
  }

  const instanceId =
    env.INSTANCE_ID ?? `${options.name}-${hostname()}-${process.pid}-${randomBytes(2).toString('hex')}`;
  const logger = createLogger({ service: options.name, instanceId, level: env.LOG_LEVEL });
  const metrics = createMetricsRegistry({ service: options.name, instanceId });
  new Gauge({
    name: 'tonearm_service_info',
    help: 'Version of the running service',
    labelNames: ['version'],
    registers: [metrics],
  })
    .labels(options.version)
    .set(1);

  const hooks: ShutdownHook[] = [];
  const checks: Record<string, HealthCheck> = { ...options.healthChecks };
  let bus: Bus | undefined;
  let settings: SettingsStore | undefined;
  let announcement: ServiceAnnouncement | undefined;
  let stopOps: (() => Promise<void>) | undefined;
  let stopping: Promise<void> | undefined;

  const shutdown = (exitCode = 0): Promise<void> => {
    stopping ??= (async () => {
      logger.info({ exitCode }, 'shutting down');
      const steps: ShutdownHook[] = [
        () => stopOps?.(),
        () => bus?.close(),
        () => settings?.close(),
        () => announcement?.stop(),
        ...hooks,
      ];
      const clean = await runShutdownHooks(steps, env.SHUTDOWN_TIMEOUT_MS, logger);
      logger.info({ clean }, 'stopped');
      if (ownsProcess) {
        logger.flush();
        process.exit(clean ? exitCode : exitCode || 1);
      }
    })();
    return stopping;
  };

  if (ownsProcess) {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => void shutdown(0));
    process.on('uncaughtException', (error) => {
      logger.fatal({ err: error }, 'uncaught exception');
      void shutdown(1);
    });
    process.on('unhandledRejection', (reason) => {
      logger.fatal({ err: reason }, 'unhandled promise rejection');
      void shutdown(1);
    });
  }

  try {
    bus = await connectBus({
      url: env.NATS_URL,
      namespace: env.BUS_NAMESPACE,
      name: `${options.name}:${instanceId}`,
      logger,
      registry: metrics,
    });
    const connected = bus;
    checks.bus = () =>
      connected.isConnected() ? { status: 'ok' } : { status: 'failing', detail: 'not connected to NATS' };
    await provisionTopology(bus, {
      replicas: env.BUS_STREAM_REPLICAS,
      ...(options.consumerOverrides ? { consumerOverrides: options.consumerOverrides(env) } : {}),
    });
    settings = await openSettings(bus, { logger });
    const liveSettings = settings;
    const health = () => runHealthChecks(checks);
    const ops = await startOpsServer({
      host: env.OPS_HOST,
      port: env.OPS_PORT,
      registry: metrics,
      health,
      views: {
        settings: () => liveSettings.all(),
        info: () => ({ name: options.name, version: options.version, instanceId, namespace: env.BUS_NAMESPACE }),
      },
      logger,
    });
    stopOps = ops.close;
    announcement = await announceService(bus, {
      name: options.name,
      version: options.version,
      description: options.description,
      instanceId,
      metadata: {
        namespace: env.BUS_NAMESPACE,
        opsUrl: ops.url,
        ...(options.httpUrl ? { httpUrl: options.httpUrl } : {}),
        startedAt: new Date().toISOString(),
      },
      health,
    });
    logger.info({ opsUrl: ops.url, namespace: env.BUS_NAMESPACE, version: options.version }, 'service started');

    return {
      name: options.name,
      version: options.version,
      instanceId,
      env,
      logger,
      metrics,
      bus,
      settings,
      opsUrl: ops.url,
      health,
      addHealthCheck: (name, check) => void (checks[name] = check),
      serve: (definition, handler) => serveRpc(connected, announcement!, definition, handler),
      listening: () => connected.nc.flush(),
      onShutdown: (hook) => void hooks.push(hook),
      shutdown,
    };
  } catch (error) {
    logger.fatal({ err: error }, `${options.name} could not start: ${error instanceof Error ? error.message : error}`);
    if (ownsProcess) {
      await shutdown(1);
    } else {
      await runShutdownHooks([() => stopOps?.(), () => bus?.close()], 5_000, logger);
    }
    throw error;
  }
}
