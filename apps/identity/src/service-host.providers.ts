import type { Provider } from '@nestjs/common';
import type { RunningService } from '@tonearm/service-host';

/** Injection token of the whole running service (health checks, shutdown hooks, env). */
export const RUNNING_SERVICE = Symbol('RunningService');
/** Injection token of the connected bus (`@tonearm/bus` `Bus`). */
export const BUS = Symbol('Bus');
/** Injection token of the service's pino logger. */
export const LOGGER = Symbol('Logger');
/** Injection token of the live runtime settings (`@tonearm/bus` `SettingsStore`). */
export const SETTINGS = Symbol('Settings');
/** Injection token of the prom-client registry served at `/metrics`. */
export const METRICS = Symbol('Metrics');

/**
 * What the service host started, as Nest providers, so repositories and services receive the
 * bus, logger, settings and metrics by injection instead of reaching for globals.
 *
 * @example
 * export class EventRepository {
 *   constructor(@Inject(BUS) bus: Bus, @Inject(LOGGER) logger: Logger) { ... }
 * }
 */
export function serviceHostProviders(service: RunningService): Provider[] {
  return [
    { provide: RUNNING_SERVICE, useValue: service },
    { provide: BUS, useValue: service.bus },
    { provide: LOGGER, useValue: service.logger },
    { provide: SETTINGS, useValue: service.settings },
    { provide: METRICS, useValue: service.metrics },
  ];
}
