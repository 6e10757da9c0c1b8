import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { startChildService } from './child-service.ts';

const fakeService = fileURLToPath(new URL('./fixtures/fake-service.fixture.ts', import.meta.url));

describe('startChildService', () => {
  it('resolves once /healthz answers 200 and passes the environment on', async () => {
    const sut = await startChildService({
      app: 'fake',
      script: fakeService,
      env: { FAKE_HEALTHY_AFTER_MS: '300', FAKE_ECHO: 'hello' },
    });
    try {
      const health = await fetch(`${sut.opsUrl}/healthz`);

      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok', env: 'hello' });
      expect(sut.opsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    } finally {
      await sut.stop();
    }
  });

  it('stops with SIGTERM and resolves with the exit code', async () => {
    const sut = await startChildService({ app: 'fake', script: fakeService, env: { FAKE_STOP_CODE: '3' } });

    const code = await sut.stop('SIGTERM');

    expect(code).toBe(3);
    expect(await sut.exited).toBe(3);
    expect(sut.output()).toContain('stopping');
  });

  it('kills a process that ignores the signal once the timeout passes', async () => {
    const sut = await startChildService({ app: 'fake', script: fakeService });

    const code = await sut.stop('SIGUSR2', 200);

    expect(code).toBeNull();
    expect(sut.process.signalCode).toBe('SIGUSR2');
  });

  it('rejects with the output when the app exits before it is healthy', async () => {
    const start = startChildService({ app: 'fake', script: fakeService, env: { FAKE_EXIT_CODE: '7' } });

    await expect(start).rejects.toThrow(/exited with code 7[\s\S]*failing at start as asked/);
  });

  it('rejects with the last answer when the app stays unhealthy', async () => {
    const start = startChildService({
      app: 'fake',
      script: fakeService,
      env: { FAKE_HEALTHY_AFTER_MS: '600000' },
      readyTimeoutMs: 500,
    });

    await expect(start).rejects.toThrow(/did not answer 200 within 500 ms \(last answer: 503/);
  });

  it('rejects when the file to run does not exist', async () => {
    const start = startChildService({ app: 'fake', script: 'apps/fake/src/main.ts' });

    await expect(start).rejects.toThrow(/fake cannot start: apps\/fake\/src\/main\.ts does not exist/);
  });

  it('rejects an app that is not in the repository', async () => {
    await expect(startChildService({ app: 'no-such-app' })).rejects.toThrow(/apps\/no-such-app has no package\.json/);
  });
});
