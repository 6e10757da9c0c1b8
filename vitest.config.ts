import { defineConfig } from 'vitest/config';

/**
 * Two projects: `unit` runs pure logic beside the code; `integration` talks to the real
 * services (NATS, Postgres, Redis, S3, ffmpeg, Chromium) found by `packages/testing`.
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['{apps,packages}/*/src/**/*.test.ts', 'scripts/**/*.test.ts'],
          exclude: ['**/*.integration.test.ts', '**/node_modules/**'],
        },
      },
      {
        test: {
          name: 'integration',
          include: [
            '{apps,packages}/*/{src,test}/**/*.integration.test.ts',
            'test/**/*.integration.test.ts',
            'scripts/**/*.integration.test.ts',
          ],
          exclude: ['**/node_modules/**'],
          globalSetup: ['packages/testing/src/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
