import type { ServiceName } from '@tonearm/contracts';
import { portVariable, urlVariable } from '@tonearm/runtime';
import { z } from 'zod';

/** The operations port each service listens on by default, so they can share one machine. */
export const defaultOpsPorts: Record<ServiceName, number> = {
  identity: 9101,
  ingest: 9102,
  transcoder: 9103,
  catalog: 9104,
  edge: 9105,
  web: 9106,
};

/** Environment variables every service reads before it can connect to anything. */
export function baseEnvShape(service: ServiceName) {
  return {
    NATS_URL: urlVariable(['nats', 'tls', 'ws', 'wss'], 'nats://127.0.0.1:4222'),
    BUS_NAMESPACE: z
      .string()
      .regex(/^[a-z][a-z0-9_-]{0,31}$/, 'must be lower case letters, digits, - or _, starting with a letter')
      .default('tonearm'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    OPS_HOST: z.string().min(1).default('127.0.0.1'),
    OPS_PORT: portVariable(defaultOpsPorts[service]),
    INSTANCE_ID: z
      .string()
      .regex(/^[\w-]{1,64}$/, 'must be 1 to 64 letters, digits, - or _')
      .optional(),
    SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(25_000),
    /** Copies of each stream in a NATS cluster: 1 on one server, 3 in production clusters. */
    BUS_STREAM_REPLICAS: z.coerce.number().int().min(1).max(5).default(1),
  };
}

/** The common environment of a service, validated. */
export type BaseEnv = z.infer<z.ZodObject<ReturnType<typeof baseEnvShape>>>;
