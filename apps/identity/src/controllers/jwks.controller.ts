import { Controller, Get, Header, Inject } from '@nestjs/common';
import type { Jwks } from '@tonearm/contracts';
import { SigningKeyService } from '../services/signing-key.service.ts';

/** `GET /.well-known/jwks.json`: the public keys that verify access tokens, current and recently retired. */
@Controller('.well-known')
export class JwksController {
  readonly #keys: SigningKeyService;

  constructor(@Inject(SigningKeyService) keys: SigningKeyService) {
    this.#keys = keys;
  }

  @Get('jwks.json')
  @Header('Cache-Control', 'public, max-age=60')
  jwks(): Promise<Jwks> {
    return this.#keys.jwks();
  }
}
