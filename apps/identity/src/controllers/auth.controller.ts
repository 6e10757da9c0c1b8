import { Body, Controller, HttpCode, Inject, Post, Req, UseGuards } from '@nestjs/common';
import {
  changePasswordRequestSchema,
  loginRequestSchema,
  refreshRequestSchema,
  registerRequestSchema,
  type LoginResponse,
  type RegisterResponse,
  type TokenPairResponse,
} from '@tonearm/contracts';
import type { z } from 'zod';
import type { IdentityEnv } from '../config/identity-env.ts';
import {
  BearerAuthGuard,
  CurrentPrincipal,
  type IdentityRequest,
  type RequestPrincipal,
} from '../http/bearer-auth.guard.ts';
import { clientAddress } from '../http/client-address.ts';
import { ZodBodyPipe } from '../http/zod-body.pipe.ts';
import { CONFIG } from '../identity.providers.ts';
import { AccountService } from '../services/account.service.ts';
import { SessionService } from '../services/session.service.ts';

/** `/api/auth/*`: register, login, refresh, logout, logout-all, change password. */
@Controller('api/auth')
export class AuthController {
  readonly #accounts: AccountService;
  readonly #sessions: SessionService;
  readonly #config: IdentityEnv;

  constructor(
    @Inject(AccountService) accounts: AccountService,
    @Inject(SessionService) sessions: SessionService,
    @Inject(CONFIG) config: IdentityEnv,
  ) {
    this.#accounts = accounts;
    this.#sessions = sessions;
    this.#config = config;
  }

  @Post('register')
  @HttpCode(201)
  async register(
    @Body(new ZodBodyPipe(registerRequestSchema)) body: z.infer<typeof registerRequestSchema>,
  ): Promise<RegisterResponse> {
    return { user: await this.#accounts.register(body) };
  }

  @Post('login')
  @HttpCode(200)
  login(
    @Body(new ZodBodyPipe(loginRequestSchema)) body: z.infer<typeof loginRequestSchema>,
    @Req() request: IdentityRequest,
  ): Promise<LoginResponse> {
    return this.#accounts.login(body, this.#address(request));
  }

  @Post('refresh')
  @HttpCode(200)
  refresh(
    @Body(new ZodBodyPipe(refreshRequestSchema)) body: z.infer<typeof refreshRequestSchema>,
  ): Promise<TokenPairResponse> {
    return this.#sessions.refresh(body.refreshToken);
  }

  @Post('logout')
  @HttpCode(204)
  @UseGuards(BearerAuthGuard)
  async logout(@CurrentPrincipal() principal: RequestPrincipal): Promise<void> {
    await this.#sessions.end(principal.userId, principal.sessionId);
  }

  @Post('logout-all')
  @HttpCode(204)
  @UseGuards(BearerAuthGuard)
  async logoutAll(@CurrentPrincipal() principal: RequestPrincipal): Promise<void> {
    await this.#sessions.endAll(principal.userId, 'logout-all');
  }

  @Post('password')
  @HttpCode(204)
  @UseGuards(BearerAuthGuard)
  async changePassword(
    @CurrentPrincipal() principal: RequestPrincipal,
    @Body(new ZodBodyPipe(changePasswordRequestSchema)) body: z.infer<typeof changePasswordRequestSchema>,
    @Req() request: IdentityRequest,
  ): Promise<void> {
    await this.#accounts.changePassword(principal, body, this.#address(request));
  }

  #address(request: IdentityRequest): string {
    return clientAddress(request.headers, request.socket.remoteAddress, this.#config.IDENTITY_TRUST_PROXY);
  }
}
