import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { RpcError } from '@tonearm/bus';
import { resolveApiTokenRpc } from '@tonearm/contracts';
import type { RunningService } from '@tonearm/service-host';
import { ApiTokenService } from '../services/api-token.service.ts';
import { RUNNING_SERVICE } from '../service-host.providers.ts';

/** Serves `identity.resolve-api-token` on the bus, for the edge to accept API tokens. */
@Injectable()
export class ApiTokenRpc implements OnApplicationBootstrap {
  readonly #service: Pick<RunningService, 'serve' | 'listening'>;
  readonly #tokens: ApiTokenService;

  constructor(@Inject(RUNNING_SERVICE) service: RunningService, @Inject(ApiTokenService) tokens: ApiTokenService) {
    this.#service = service;
    this.#tokens = tokens;
  }

  async onApplicationBootstrap(): Promise<void> {
    this.#service.serve(resolveApiTokenRpc, async ({ token }) => {
      const resolved = await this.#tokens.resolve(token);
      if (!resolved) throw new RpcError('not_found', 'no such API token');
      return resolved;
    });
    await this.#service.listening();
  }
}
