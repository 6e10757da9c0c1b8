import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  apiToken,
  cliIngest,
  createAccount,
  makeTone,
  playTrack,
  quantile,
  scratchDir,
  type Account,
  type ListenerFigures,
} from '../support/clients.ts';
import { auditOutcome, describeAudit } from '../support/outcome-audit.ts';
import { duration, report } from '../support/report.ts';
import { scale } from '../support/scale.ts';
import type { SystemPlatform } from '../support/system-platform.ts';

/** Tones for one album: `count` tracks of `seconds` each, in a folder of their own. */
async function album(name: string, count: number, seconds: number): Promise<string> {
  const dir = join(await scratchDir(name), name);
  await Promise.all(
    Array.from({ length: count }, (_, index) =>
      makeTone(dir, `${String(index + 1).padStart(2, '0')} - ${name} ${index + 1}`, {
        seconds,
        title: `${name} ${index + 1}`,
        artist: 'System Load',
        album: name,
        track: index + 1,
      }),
    ),
  );
  return dir;
}

/**
 * Load: listeners play ready tracks like HLS clients (playback URL, master, variant, every
 * segment) without pause while the CLI ingests an album; every segment arrives and every ingest
 * ends ready.
 */
export function loadScenario(platformOf: () => SystemPlatform) {
  describe(`load: ${scale.listeners} listeners while ${scale.ingests} tracks are ingested`, () => {
    let platform: SystemPlatform;
    beforeAll(() => {
      platform = platformOf();
    });

    it('every listener gets every segment and every ingest ends ready', async () => {
      const artist = await createAccount(platform, 'artist');
      const token = await apiToken(platform, artist);
      const seeded = await cliIngest(platform, token, await album('Seed', scale.catalogTracks, 18));
      expect(seeded.report.failed).toEqual([]);
      expect(seeded.code).toBe(0);
      const catalog = seeded.report.ingested.map((file) => file.trackId);
      expect(catalog).toHaveLength(scale.catalogTracks);

      const listeners: Account[] = [];
      for (let index = 0; index < scale.listeners; index++) listeners.push(await createAccount(platform, 'listener'));
      const newAlbum = await album('Arrivals', scale.ingests, 8);

      let ingesting = true;
      const loadStarted = Date.now();
      const ingest = cliIngest(platform, token, newAlbum).finally(() => (ingesting = false));
      const figures = listeners.map((): ListenerFigures & { plays: number } => ({
        segments: 0,
        failures: [],
        latenciesMs: [],
        plays: 0,
      }));
      await Promise.all(
        listeners.map(async (listener, index) => {
          const mine = figures[index]!;
          do {
            const trackId = catalog[(index + mine.plays) % catalog.length]!;
            await playTrack(platform, listener, trackId, index, mine).catch((error: Error) =>
              mine.failures.push(error.message),
            );
            mine.plays++;
          } while (ingesting);
        }),
      );
      const ingested = await ingest;
      const loadMs = Date.now() - loadStarted;

      expect(ingested.report.failed).toEqual([]);
      expect(ingested.report.ingested.map((file) => file.status)).toEqual(Array(scale.ingests).fill('ready'));
      expect(figures.flatMap((listener) => listener.failures)).toEqual([]);
      for (const listener of figures) expect(listener.segments).toBeGreaterThan(0);
      const audit = await auditOutcome(platform, [
        { account: artist, trackIds: [...catalog, ...ingested.report.ingested.map((file) => file.trackId)] },
      ]);
      expect(audit.problems).toEqual([]);
      expect(audit.ready).toBe(scale.catalogTracks + scale.ingests);

      const latencies = figures.flatMap((listener) => listener.latenciesMs);
      report('load', [
        `${scale.listeners} listeners played ${figures.reduce((sum, f) => sum + f.plays, 0)} times over ${catalog.length} tracks while the CLI ingested ${scale.ingests} tracks in ${duration(loadMs)}`,
        `${latencies.length} segments, 0 failed; latency p50 ${duration(quantile(latencies, 0.5))}, p99 ${duration(quantile(latencies, 0.99))}, max ${duration(quantile(latencies, 1))}`,
        describeAudit(audit),
      ]);
    });
  });
}
