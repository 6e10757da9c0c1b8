import type { BackingService } from '../probes/service-hints.ts';

/** A backing service running in a container started for this test run. */
export interface ServiceContainer {
  url: string;
  stop(): Promise<void>;
}

interface ContainerSpec {
  image: string;
  port: number;
  command?: string[];
  env?: Record<string, string>;
  ready: RegExp;
  readyTimes?: number;
  url: (host: string, port: number) => string;
}

const images: Record<BackingService, ContainerSpec> = {
  nats: {
    image: 'nats:2.9',
    port: 4222,
    command: ['-js'],
    ready: /Server is ready/,
    url: (host, port) => `nats://${host}:${port}`,
  },
  postgres: {
    image: 'postgres:15',
    port: 5432,
    env: { POSTGRES_HOST_AUTH_METHOD: 'trust' },
    ready: /database system is ready to accept connections/,
    readyTimes: 2,
    url: (host, port) => `postgres://postgres@${host}:${port}/postgres`,
  },
  redis: {
    image: 'redis:7',
    port: 6379,
    ready: /Ready to accept connections/,
    url: (host, port) => `redis://${host}:${port}`,
  },
};

/**
 * Starts a backing service in a container with testcontainers. Rejects within milliseconds
 * when no container engine is reachable (`Could not find a working container runtime strategy`).
 *
 * @example
 * const redis = await startServiceContainer('redis');
 * process.env.REDIS_URL = redis.url;
 */
export async function startServiceContainer(service: BackingService): Promise<ServiceContainer> {
  const { GenericContainer, Wait } = await import('testcontainers');
  const spec = images[service];
  let definition = new GenericContainer(spec.image)
    .withExposedPorts(spec.port)
    .withEnvironment(spec.env ?? {})
    .withWaitStrategy(Wait.forLogMessage(spec.ready, spec.readyTimes ?? 1));
  if (spec.command) definition = definition.withCommand(spec.command);
  const container = await definition.start();
  return {
    url: spec.url(container.getHost(), container.getMappedPort(spec.port)),
    async stop() {
      await container.stop();
    },
  };
}
