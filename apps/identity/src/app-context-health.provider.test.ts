import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { HealthCheck } from '@tonearm/runtime';
import { describe, expect, it } from 'vitest';
import { AppContextHealth, appContextCheckName } from './app-context-health.provider.ts';
import { RUNNING_SERVICE } from './service-host.providers.ts';

function healthRegistry() {
  const checks = new Map<string, HealthCheck>();
  return { checks, addHealthCheck: (name: string, check: HealthCheck) => void checks.set(name, check) };
}

describe(AppContextHealth.name, () => {
  it('registers a failing check before the application context has bootstrapped', async () => {
    const registry = healthRegistry();
    new AppContextHealth(registry);

    expect(await registry.checks.get(appContextCheckName)?.()).toEqual({
      status: 'failing',
      detail: 'Nest application context is not initialised yet',
    });
  });

  it('reports ok once Nest has bootstrapped every module and failing again from shutdown', async () => {
    const registry = healthRegistry();
    @Module({ providers: [{ provide: RUNNING_SERVICE, useValue: registry }, AppContextHealth] })
    class TestModule {}

    const sut = await NestFactory.createApplicationContext(TestModule, { logger: false, abortOnError: false });
    const check = registry.checks.get(appContextCheckName);
    expect(await check?.()).toEqual({ status: 'ok' });

    await sut.close();
    expect(await check?.()).toEqual({ status: 'failing', detail: 'Nest application context is shutting down' });
  });
});
