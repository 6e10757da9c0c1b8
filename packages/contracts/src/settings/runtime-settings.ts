import { z } from 'zod';

const rateLimitSchema = z.object({
  limit: z.number().int().positive(),
  windowSeconds: z.number().int().positive(),
});

const renditionRungSchema = z.object({
  name: z.string().regex(/^[a-z0-9-]+$/),
  codec: z.literal('aac-lc'),
  bitrate: z.number().int().min(16_000).max(512_000),
});

/**
 * Runtime settings kept in the settings KV bucket, one key each. Services read them at start
 * and apply changes live; a value that fails its schema is refused and the last good one stays.
 */
export const runtimeSettings = {
  'transcode.ladder': {
    description: 'The HLS ladder, lowest bitrate first',
    schema: z
      .array(renditionRungSchema)
      .min(1)
      .max(8)
      .refine((rungs) => rungs.every((r, i) => i === 0 || r.bitrate > rungs[i - 1]!.bitrate), {
        message: 'rungs must be ordered by rising bitrate',
      })
      .refine((rungs) => new Set(rungs.map((r) => r.name)).size === rungs.length, {
        message: 'rung names must be unique',
      }),
    default: [
      { name: 'aac-64k', codec: 'aac-lc', bitrate: 64_000 },
      { name: 'aac-128k', codec: 'aac-lc', bitrate: 128_000 },
      { name: 'aac-256k', codec: 'aac-lc', bitrate: 256_000 },
    ],
  },
  'transcode.segmentSeconds': {
    description: 'Target HLS segment duration',
    schema: z.number().int().min(2).max(10),
    default: 6,
  },
  'upload.maxBytes': {
    description: 'Largest upload accepted',
    schema: z
      .number()
      .int()
      .positive()
      .max(4 * 1024 ** 3),
    default: 4 * 1024 ** 3,
  },
  'ratelimit.login': {
    description: 'Login attempts per account and per client address',
    schema: z.object({ perAccount: rateLimitSchema, perAddress: rateLimitSchema }),
    default: { perAccount: { limit: 10, windowSeconds: 900 }, perAddress: { limit: 50, windowSeconds: 900 } },
  },
  'ratelimit.auth': {
    description: 'Registrations and token refreshes per client address, each counted at the edge',
    schema: rateLimitSchema,
    default: { limit: 30, windowSeconds: 900 },
  },
  'ratelimit.upload': {
    description: 'Upload sessions a user may open',
    schema: rateLimitSchema,
    default: { limit: 600, windowSeconds: 3600 },
  },
} as const satisfies Record<string, { description: string; schema: z.ZodType; default: unknown }>;

/** The name of a runtime setting, which is also its key in the KV bucket. */
export type SettingKey = keyof typeof runtimeSettings;

/** The value type of a runtime setting. */
export type SettingValue<K extends SettingKey> = z.infer<(typeof runtimeSettings)[K]['schema']>;

/** Every setting at once, as a service sees it. */
export type RuntimeSettings = { [K in SettingKey]: SettingValue<K> };

/** Every setting name. */
export const settingKeys = Object.keys(runtimeSettings) as SettingKey[];

/** The defaults of every setting. */
export function defaultSettings(): RuntimeSettings {
  return Object.fromEntries(
    settingKeys.map((k) => [k, structuredClone(runtimeSettings[k].default)]),
  ) as unknown as RuntimeSettings;
}

/**
 * Checks a raw value read from the KV bucket against its setting's schema.
 *
 * @returns the parsed value, or the reason it is refused
 */
export function parseSetting<K extends SettingKey>(
  key: K,
  raw: unknown,
): { ok: true; value: SettingValue<K> } | { ok: false; error: string } {
  const result = runtimeSettings[key].schema.safeParse(raw);
  if (result.success) return { ok: true, value: result.data as SettingValue<K> };
  return { ok: false, error: z.prettifyError(result.error) };
}

/** Whether a string names a known setting. */
export function isSettingKey(key: string): key is SettingKey {
  return Object.hasOwn(runtimeSettings, key);
}
