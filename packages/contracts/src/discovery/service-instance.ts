import { z } from 'zod';

/** The services of the platform; each announces its instances on the bus under this name. */
export const serviceNames = ['identity', 'ingest', 'transcoder', 'catalog', 'edge', 'web'] as const;

/** The name of a platform service. */
export type ServiceName = (typeof serviceNames)[number];

/** The state a health check reports. */
export const healthStatusSchema = z.enum(['ok', 'degraded', 'failing']);

/** The health of one instance, as its health endpoint and the bus report it. */
export const instanceHealthSchema = z.object({
  status: healthStatusSchema,
  checks: z.record(z.string(), z.object({ status: healthStatusSchema, detail: z.string().optional() })),
});

/** The health of one instance. */
export type InstanceHealth = z.infer<typeof instanceHealthSchema>;

/**
 * Metadata an instance publishes in its `$SRV.INFO` answer. All values are strings, as the NATS
 * services protocol requires.
 */
export const instanceMetadataSchema = z.object({
  namespace: z.string(),
  /** Base URL of the instance's HTTP port for health and metrics. */
  opsUrl: z.string().url(),
  /** Base URL of the instance's public HTTP interface, when it has one (edge, web). */
  httpUrl: z.string().url().optional(),
  startedAt: z.string().datetime({ offset: true }),
});

/** The metadata of an instance. */
export type InstanceMetadata = z.infer<typeof instanceMetadataSchema>;

/** A live instance found through discovery. */
export const serviceInstanceSchema = z.object({
  name: z.string(),
  id: z.string(),
  version: z.string(),
  description: z.string().optional(),
  metadata: instanceMetadataSchema,
  endpoints: z.array(z.object({ name: z.string(), subject: z.string(), queueGroup: z.string().optional() })),
  health: instanceHealthSchema.optional(),
});

/** A live instance found through discovery. */
export type ServiceInstance = z.infer<typeof serviceInstanceSchema>;
