import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import type { RunningService } from '@tonearm/service-host';
import type { Redis } from 'ioredis';
import { AppContextHealth } from './app-context-health.provider.ts';
import type { IdentityEnv } from './config/identity-env.ts';
import { ApiTokenController } from './controllers/api-token.controller.ts';
import { ApiTokenRpc } from './controllers/api-token.rpc.ts';
import { AuthController } from './controllers/auth.controller.ts';
import { JwksController } from './controllers/jwks.controller.ts';
import { MeController } from './controllers/me.controller.ts';
import type { IdentityDatabase } from './database/database.ts';
import { ApiExceptionFilter } from './http/api-exception.filter.ts';
import { BearerAuthGuard } from './http/bearer-auth.guard.ts';
import { CONFIG, DATABASE, PASSWORD_HASHER, REDIS } from './identity.providers.ts';
import { ApiTokenRepository } from './repositories/api-token.repository.ts';
import { EventRepository } from './repositories/event.repository.ts';
import type { PasswordHasher } from './repositories/password-hasher.ts';
import { RateLimitRepository } from './repositories/rate-limit.repository.ts';
import { SessionRepository } from './repositories/session.repository.ts';
import { SigningKeyRepository } from './repositories/signing-key.repository.ts';
import { UserRepository } from './repositories/user.repository.ts';
import { serviceHostProviders } from './service-host.providers.ts';
import { AccessTokenService } from './services/access-token.service.ts';
import { AccountService } from './services/account.service.ts';
import { ApiTokenService } from './services/api-token.service.ts';
import { RateLimitService } from './services/rate-limit.service.ts';
import { SessionService } from './services/session.service.ts';
import { SigningKeyService } from './services/signing-key.service.ts';

/** What identity connects to before Nest starts, handed to the module as providers. */
export interface IdentityResources {
  config: IdentityEnv;
  db: IdentityDatabase;
  redis: Redis;
  passwordHasher: PasswordHasher;
}

/**
 * The identity application. Global, so every feature module can inject the service host's
 * pieces (`BUS`, `LOGGER`, `SETTINGS`, `METRICS`, `RUNNING_SERVICE`) without importing it.
 */
@Module({})
export class AppModule {
  /**
   * The module for one running service instance; without `resources`, only the host's pieces
   * and the health provider (no HTTP routes).
   *
   * @example
   * const app = await NestFactory.create(AppModule.forService(service, resources));
   */
  static forService(service: RunningService, resources?: IdentityResources): DynamicModule {
    const providers = serviceHostProviders(service);
    if (!resources) {
      return { module: AppModule, global: true, providers: [...providers, AppContextHealth], exports: providers };
    }
    const identity: Provider[] = [
      { provide: CONFIG, useValue: resources.config },
      { provide: DATABASE, useValue: resources.db },
      { provide: REDIS, useValue: resources.redis },
      { provide: PASSWORD_HASHER, useValue: resources.passwordHasher },
      { provide: APP_FILTER, useClass: ApiExceptionFilter },
      UserRepository,
      ApiTokenRepository,
      SigningKeyRepository,
      SessionRepository,
      RateLimitRepository,
      EventRepository,
      SigningKeyService,
      AccessTokenService,
      SessionService,
      RateLimitService,
      AccountService,
      ApiTokenService,
      BearerAuthGuard,
      ApiTokenRpc,
    ];
    return {
      module: AppModule,
      global: true,
      controllers: [AuthController, MeController, ApiTokenController, JwksController],
      providers: [...providers, AppContextHealth, ...identity],
      exports: providers,
    };
  }
}
