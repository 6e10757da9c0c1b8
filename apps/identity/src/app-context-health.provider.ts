import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import type { CheckResult } from '@tonearm/runtime';
import type { RunningService } from '@tonearm/service-host';
import { RUNNING_SERVICE } from './service-host.providers.ts';

/** The name of the check on `/healthz` and in `$SRV.HEALTH`. */
export const appContextCheckName = 'nest';

/**
 * Reports the Nest application context on the service's health: failing while modules are
 * still being created (the ops server answers before Nest is up), ok once every module has
 * bootstrapped, failing again from the start of shutdown so no one routes work to it.
 */
@Injectable()
export class AppContextHealth implements OnApplicationBootstrap, BeforeApplicationShutdown {
  #state: 'starting' | 'ready' | 'stopping' = 'starting';

  constructor(@Inject(RUNNING_SERVICE) service: Pick<RunningService, 'addHealthCheck'>) {
    service.addHealthCheck(appContextCheckName, () => this.check());
  }

  onApplicationBootstrap(): void {
    this.#state = 'ready';
  }

  beforeApplicationShutdown(): void {
    this.#state = 'stopping';
  }

  /** The current state as a health check result. */
  check(): CheckResult {
    switch (this.#state) {
      case 'ready':
        return { status: 'ok' };
      case 'starting':
        return { status: 'failing', detail: 'Nest application context is not initialised yet' };
      case 'stopping':
        return { status: 'failing', detail: 'Nest application context is shutting down' };
    }
  }
}
