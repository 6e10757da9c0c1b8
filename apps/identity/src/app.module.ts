import { Module, type DynamicModule } from '@nestjs/common';
import type { RunningService } from '@tonearm/service-host';
import { AppContextHealth } from './app-context-health.provider.ts';
import { serviceHostProviders } from './service-host.providers.ts';

/**
 * The identity application. Global, so every feature module can inject the service host's
 * pieces (`BUS`, `LOGGER`, `SETTINGS`, `METRICS`, `RUNNING_SERVICE`) without importing it.
 */
@Module({})
export class AppModule {
  /**
   * The module for one running service instance.
   *
   * @example
   * const app = await NestFactory.createApplicationContext(AppModule.forService(service));
   */
  static forService(service: RunningService): DynamicModule {
    const providers = serviceHostProviders(service);
    return {
      module: AppModule,
      global: true,
      providers: [...providers, AppContextHealth],
      exports: providers,
    };
  }
}
