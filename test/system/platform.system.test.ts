import { afterAll, afterEach, beforeAll, describe } from 'vitest';
import { badInputScenario } from './scenarios/bad-input.ts';
import { faultScenarios } from './scenarios/faults.ts';
import { loadScenario } from './scenarios/load.ts';
import { duration, report } from './support/report.ts';
import { startSystemPlatform, type SystemPlatform } from './support/system-platform.ts';

/**
 * The whole platform, started as `npm start` does on backing services of its own, driven only
 * through the public API and the CLI: bad input first, then load, then faults (which restart
 * what they break). One platform for all, since starting it is the slow part.
 */
describe('Tonearm as a whole', () => {
  let platform: SystemPlatform | undefined;
  const platformOf = () => {
    if (!platform) throw new Error('the platform did not start');
    return platform;
  };

  beforeAll(async () => {
    const started = Date.now();
    platform = await startSystemPlatform();
    report('start', [
      `npm start (scripts/start.ts) on private NATS, Redis, Postgres and S3: up in ${duration(Date.now() - started)}`,
    ]);
  });
  afterAll(() => platform?.stop());
  afterEach(({ task }) => {
    if (task.result?.state === 'fail' && platform) {
      process.stderr.write(
        `--- what npm start printed last (${task.name}) ---\n${platform.output().split('\n').slice(-60).join('\n')}\n`,
      );
    }
  });

  badInputScenario(platformOf);
  loadScenario(platformOf);
  faultScenarios(platformOf);
});
