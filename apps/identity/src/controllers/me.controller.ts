import { Controller, Get, Inject, UseGuards } from '@nestjs/common';
import type { User } from '@tonearm/contracts';
import { AllowApiTokens, BearerAuthGuard, CurrentPrincipal, type RequestPrincipal } from '../http/bearer-auth.guard.ts';
import { AccountService } from '../services/account.service.ts';

/** `GET /api/me`: the signed-in user, by access token or API token. */
@Controller('api/me')
export class MeController {
  readonly #accounts: AccountService;

  constructor(@Inject(AccountService) accounts: AccountService) {
    this.#accounts = accounts;
  }

  @Get()
  @UseGuards(BearerAuthGuard)
  @AllowApiTokens()
  me(@CurrentPrincipal() principal: RequestPrincipal): Promise<User> {
    return this.#accounts.get(principal.userId);
  }
}
