import { availableParallelism } from 'node:os';
import { accessTokenDefaults, defaultSessionKeyPrefix } from '@tonearm/contracts';
import { booleanVariable, portVariable, urlVariable } from '@tonearm/runtime';
import { storageEnvShape } from '@tonearm/storage';
import { z } from 'zod';
import { trustedProxies } from '../http/client-address.ts';

const milliseconds = (min: number, max: number, fallback: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

/**
 * `EDGE_WORKERS`: how many edge processes one `npm start` runs (node:cluster), each a whole edge
 * instance sharing `EDGE_PORT` through SO_REUSEPORT. `auto` (the default) and `0` mean one per
 * available core (`os.availableParallelism()`), as nginx's `worker_processes auto`; a number is
 * taken as it is. Read by the primary process, which only supervises them, and passed to each
 * worker as a number (each worker keeps its share of `EDGE_SEGMENT_CACHE_BYTES`).
 */
export const edgeWorkersShape = {
  EDGE_WORKERS: z
    .union([z.literal('auto'), z.coerce.number().int().min(0).max(64)], {
      error: 'must be auto or a whole number from 0 to 64',
    })
    .default('auto')
    .transform((count) => (count === 'auto' || count === 0 ? availableParallelism() : count)),
};

/**
 * Each worker's share of the segment cache bound: the configured bound is the edge's total, so
 * adding workers adds no memory for cached objects.
 *
 * @example
 * workerCacheBytes(64 * 1024 ** 2, 2); // 33554432
 */
export function workerCacheBytes(totalBytes: number, workers: number): number {
  return Math.floor(totalBytes / Math.max(1, workers));
}

/**
 * The environment the edge reads once at start, on top of the common service variables.
 * `IDENTITY_TOKEN_ISSUER`, `IDENTITY_TOKEN_AUDIENCE` and `IDENTITY_REDIS_PREFIX` must match
 * identity's; `EDGE_MEDIA_SECRET` must be the same on every edge instance (a random one is made
 * at start when unset, which suits one instance only).
 */
export const edgeEnvShape = {
  ...storageEnvShape,
  ...edgeWorkersShape,
  EDGE_PORT: portVariable(8080),
  EDGE_HOST: z.string().min(1).default('0.0.0.0'),
  /**
   * Listen with SO_REUSEPORT, so several edge instances on one machine share `EDGE_PORT` and the
   * kernel spreads connections over them (one per core; they need the same `EDGE_MEDIA_SECRET`).
   */
  EDGE_REUSE_PORT: booleanVariable(false),
  EDGE_UPSTREAM_TIMEOUT_MS: milliseconds(100, 120_000, 10_000),
  /** How long the edge waits for a service's answer on the bus before a 503. */
  EDGE_RPC_TIMEOUT_MS: milliseconds(100, 60_000, 5_000),
  REDIS_URL: urlVariable(['redis', 'rediss'], 'redis://127.0.0.1:6379'),
  IDENTITY_REDIS_PREFIX: z
    .string()
    .regex(/^[\w:.-]{1,100}$/, 'must be 1 to 100 letters, digits, _, :, . or -')
    .default(defaultSessionKeyPrefix),
  IDENTITY_TOKEN_ISSUER: z.string().min(1).default(accessTokenDefaults.issuer),
  IDENTITY_TOKEN_AUDIENCE: z.string().min(1).default(accessTokenDefaults.audience),
  /** How long a live session answer from Redis is reused; at most 1 s so a logout is felt at once. */
  EDGE_SESSION_CACHE_MS: milliseconds(0, 1_000, 1_000),
  /**
   * How long a resolved API token is reused (at most 1 s, so a revocation is felt within a
   * second even when its event is missed; the event ends the reuse at once).
   */
  EDGE_API_TOKEN_CACHE_MS: milliseconds(0, 1_000, 1_000),
  /** HMAC key of playback URL tokens, at least 32 characters; the same on every edge instance. */
  EDGE_MEDIA_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  EDGE_MEDIA_TOKEN_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .max(86_400)
    .default(4 * 3_600),
  /** Comma-separated origins (`https://app.example.org`) allowed to call the API from a browser; none by default. */
  EDGE_CORS_ORIGINS: z
    .string()
    .default('')
    .transform((list) =>
      list
        .split(',')
        .map((origin) => origin.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.url({ protocol: /^https?$/ }))),
  /**
   * Comma-separated addresses and CIDR ranges (`10.0.0.0/8, ::1`) of the proxies in front of the
   * edge whose `x-forwarded-for` is believed; none by default (the socket peer is the client).
   */
  EDGE_TRUSTED_PROXIES: z
    .string()
    .default('')
    .transform((list) =>
      list
        .split(',')
        .map((entry) => entry.trim())
        .filter(Boolean),
    )
    .superRefine((entries, ctx) => {
      try {
        trustedProxies(entries);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
      }
    }),
  /** Upper bound of the in-memory cache of hot segments and playlists: the edge's total, split over its workers. */
  EDGE_SEGMENT_CACHE_BYTES: z.coerce
    .number()
    .int()
    .min(0)
    .max(8 * 1024 ** 3)
    .default(64 * 1024 ** 2),
};

/** The edge's validated environment. */
export type EdgeEnv = z.infer<z.ZodObject<typeof edgeEnvShape>>;
