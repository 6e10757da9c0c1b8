import { setTimeout as sleep } from 'node:timers/promises';
import { Kvm, type KV, type KvEntry } from '@nats-io/kv';
import {
  defaultSettings,
  isSettingKey,
  parseSetting,
  runtimeSettings,
  settingKeys,
  type RuntimeSettings,
  type SettingKey,
  type SettingValue,
} from '@tonearm/contracts';
import type { Logger } from 'pino';
import type { Bus } from '../connection/bus-connection.ts';

/** Live runtime settings, kept in step with the settings bucket. */
export interface SettingsStore {
  /** The current value of a setting: the last good one from the bucket, or its default. */
  get<K extends SettingKey>(key: K): SettingValue<K>;
  /** Every setting at once (a copy). */
  all(): RuntimeSettings;
  /** Calls `listener` on every accepted change of the setting; returns a function that stops it. */
  onChange<K extends SettingKey>(key: K, listener: (value: SettingValue<K>) => void): () => void;
  /** Stops watching the bucket. */
  close(): Promise<void>;
}

/** A setting value refused before it was written, with zod's reason. */
export class SettingRefusedError extends Error {
  readonly key: string;

  constructor(key: string, reason: string) {
    super(`setting ${key} refused: ${reason}`);
    this.name = 'SettingRefusedError';
    this.key = key;
  }
}

/** How many past values of each setting the bucket keeps. */
export const SETTINGS_HISTORY = 5;

const REWATCH_DELAY_MS = 1000;

/** The settings bucket of the bus's namespace, created when missing. */
export function openSettingsBucket(bus: Bus): Promise<KV> {
  return new Kvm(bus.js).create(bus.topology.settingsBucket, { history: SETTINGS_HISTORY });
}

/**
 * Reads every runtime setting (a missing one is its default), then applies changes as they are
 * written. A value that fails its schema is logged and ignored: the last good value stays.
 * A deleted value goes back to its default.
 *
 * @example
 * const settings = await openSettings(bus);
 * settings.get('transcode.segmentSeconds'); // 6
 * settings.onChange('transcode.ladder', (ladder) => logger.info({ ladder }, 'new ladder'));
 */
export async function openSettings(bus: Bus, options: { logger?: Logger } = {}): Promise<SettingsStore> {
  const logger = (options.logger ?? bus.logger).child({ settingsBucket: bus.topology.settingsBucket });
  const kv = await openSettingsBucket(bus);
  const values = defaultSettings() as Record<SettingKey, unknown>;
  const revisions = new Map<SettingKey, number>();
  const listeners = new Map<SettingKey, Set<(value: never) => void>>();
  let lastRevision = (await kv.status()).streamInfo.state.last_seq;

  const apply = (entry: KvEntry, notify: boolean) => {
    lastRevision = Math.max(lastRevision, entry.revision);
    if (!isSettingKey(entry.key)) {
      logger.warn({ key: entry.key }, 'unknown key in the settings bucket ignored');
      return;
    }
    const key = entry.key;
    if (entry.revision <= (revisions.get(key) ?? 0)) return;
    revisions.set(key, entry.revision);
    let next: unknown;
    if (entry.operation === 'PUT') {
      const parsed = parseEntry(key, entry);
      if (!parsed.ok) {
        logger.error(
          { key, revision: entry.revision, reason: parsed.error },
          `setting ${key} refused: ${parsed.error}`,
        );
        return;
      }
      next = parsed.value;
    } else {
      next = structuredClone(runtimeSettings[key].default);
    }
    values[key] = next;
    logger.info({ key, revision: entry.revision, operation: entry.operation }, `setting ${key} changed`);
    if (!notify) return;
    for (const listener of listeners.get(key) ?? []) {
      try {
        listener(next as never);
      } catch (err) {
        logger.error({ err, key }, 'settings listener failed');
      }
    }
  };

  for (const key of settingKeys) {
    const entry = await kv.get(key);
    if (entry) apply(entry, false);
  }

  const closing = new AbortController();
  const watching = (async () => {
    while (!closing.signal.aborted && !bus.nc.isClosed()) {
      try {
        const watcher = await kv.watch({ resumeFromRevision: lastRevision + 1 });
        const stop = () => watcher.stop();
        closing.signal.addEventListener('abort', stop, { once: true });
        try {
          for await (const entry of watcher) apply(entry, true);
        } finally {
          closing.signal.removeEventListener('abort', stop);
        }
      } catch (err) {
        logger.warn({ err }, 'settings watch failed');
      }
      if (closing.signal.aborted || bus.nc.isClosed()) break;
      logger.warn('settings watch ended, watching again');
      await sleep(REWATCH_DELAY_MS, undefined, { signal: closing.signal }).catch(() => undefined);
    }
  })();

  return {
    get: (key) => structuredClone(values[key]) as SettingValue<typeof key>,
    all: () => structuredClone(values) as RuntimeSettings,
    onChange(key, listener) {
      const set = listeners.get(key) ?? new Set();
      listeners.set(key, set);
      set.add(listener as (value: never) => void);
      return () => set.delete(listener as (value: never) => void);
    },
    async close() {
      closing.abort();
      await watching;
    },
  };
}

/**
 * Validates a setting and writes it to the bucket. This is the operators' path: nothing is
 * written unless the value passes the setting's schema.
 *
 * @throws SettingRefusedError naming the key and zod's reason
 * @example
 * await putSetting(bus, 'transcode.segmentSeconds', 4);
 */
export async function putSetting<K extends SettingKey>(bus: Bus, key: K, value: unknown): Promise<void> {
  if (!isSettingKey(key)) throw new SettingRefusedError(key, 'not a known setting');
  const parsed = parseSetting(key, value);
  if (!parsed.ok) throw new SettingRefusedError(key, parsed.error);
  const kv = await openSettingsBucket(bus);
  await kv.put(key, JSON.stringify(parsed.value));
}

function parseEntry<K extends SettingKey>(key: K, entry: KvEntry) {
  let raw: unknown;
  try {
    raw = entry.json();
  } catch (err) {
    return { ok: false as const, error: `not JSON: ${(err as Error).message}` };
  }
  return parseSetting(key, raw);
}
