import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, UseGuards } from '@nestjs/common';
import {
  createApiTokenRequestSchema,
  type CreateApiTokenResponse,
  type ListApiTokensResponse,
} from '@tonearm/contracts';
import { z } from 'zod';
import { ApiException } from '../http/api-exception.ts';
import { BearerAuthGuard, CurrentPrincipal, type RequestPrincipal } from '../http/bearer-auth.guard.ts';
import { ZodBodyPipe } from '../http/zod-body.pipe.ts';
import { ApiTokenService } from '../services/api-token.service.ts';

/** `/api/tokens`: API tokens of the signed-in user (with a session, never with an API token). */
@Controller('api/tokens')
@UseGuards(BearerAuthGuard)
export class ApiTokenController {
  readonly #tokens: ApiTokenService;

  constructor(@Inject(ApiTokenService) tokens: ApiTokenService) {
    this.#tokens = tokens;
  }

  @Post()
  @HttpCode(201)
  create(
    @CurrentPrincipal() principal: RequestPrincipal,
    @Body(new ZodBodyPipe(createApiTokenRequestSchema)) body: z.infer<typeof createApiTokenRequestSchema>,
  ): Promise<CreateApiTokenResponse> {
    return this.#tokens.create(principal.userId, body);
  }

  @Get()
  async list(@CurrentPrincipal() principal: RequestPrincipal): Promise<ListApiTokensResponse> {
    return { items: await this.#tokens.list(principal.userId) };
  }

  @Delete(':id')
  @HttpCode(204)
  async revoke(@CurrentPrincipal() principal: RequestPrincipal, @Param('id') id: string): Promise<void> {
    if (!z.uuid().safeParse(id).success) throw new ApiException('not_found', 'no such API token');
    await this.#tokens.revoke(principal.userId, id);
  }
}
