import { svelte } from '@sveltejs/vite-plugin-svelte';
import { svelteTesting } from '@testing-library/svelte/vite';
import { defineConfig } from 'vitest/config';

/**
 * Three projects: `unit` runs pure logic beside the code; `component` mounts the web app's
 * Svelte components and runes stores in happy-dom (`*.component.test.ts`); `integration` talks
 * to the real services (NATS, Postgres, Redis, S3, ffmpeg, Chromium) found by `packages/testing`.
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['{apps,packages}/*/src/**/*.test.ts', 'scripts/**/*.test.ts'],
          exclude: ['**/*.integration.test.ts', '**/*.component.test.ts', '**/node_modules/**'],
        },
      },
      {
        plugins: [svelte(), svelteTesting()],
        test: {
          name: 'component',
          include: ['apps/web/src/**/*.component.test.ts'],
          environment: 'happy-dom',
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
      {
        test: {
          name: 'system',
          include: ['test/system/**/*.system.test.ts'],
          globalSetup: ['test/system/global-setup.ts'],
          fileParallelism: false,
          testTimeout: 300_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
