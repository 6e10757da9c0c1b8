import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { apiTokenPrefix, type ApiToken, type ApiTokenScope } from '@tonearm/contracts';
import { ApiException } from '../http/api-exception.ts';
import { ApiTokenRepository, type ApiTokenRow } from '../repositories/api-token.repository.ts';
import { EventRepository } from '../repositories/event.repository.ts';
import { newSecret, sha256Hex } from './secrets.ts';

function toApiToken(row: ApiTokenRow): ApiToken {
  return {
    id: row.id,
    name: row.name,
    scopes: row.scopes,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
  };
}

/** Who an API token acts for. */
export interface ResolvedApiToken {
  tokenId: string;
  userId: string;
  roles: ('user' | 'admin')[];
  scopes: ApiTokenScope[];
}

/** Long-lived, scoped API tokens for the CLI. The secret is shown once and kept only as a sha256. */
@Injectable()
export class ApiTokenService {
  readonly #tokens: ApiTokenRepository;
  readonly #events: EventRepository;

  constructor(
    @Inject(ApiTokenRepository) tokens: ApiTokenRepository,
    @Inject(EventRepository) events: EventRepository,
  ) {
    this.#tokens = tokens;
    this.#events = events;
  }

  async create(
    userId: string,
    input: { name: string; scopes: ApiTokenScope[] },
  ): Promise<ApiToken & { token: string }> {
    const token = newSecret(apiTokenPrefix);
    const row = await this.#tokens.create({
      id: randomUUID(),
      userId,
      name: input.name,
      scopes: input.scopes,
      tokenHash: sha256Hex(token),
    });
    await this.#events.publish('identity.api-token.changed.v1', {
      userId,
      tokenId: row.id,
      scopes: row.scopes,
      revoked: false,
    });
    return { ...toApiToken(row), token };
  }

  async list(userId: string): Promise<ApiToken[]> {
    return (await this.#tokens.listByUser(userId)).map(toApiToken);
  }

  /** Revokes a token of the user; 404 when the user has none with this id. */
  async revoke(userId: string, id: string): Promise<void> {
    const row = await this.#tokens.delete(userId, id);
    if (!row) throw new ApiException('not_found', 'no such API token');
    await this.#events.publish('identity.api-token.changed.v1', {
      userId,
      tokenId: id,
      scopes: row.scopes,
      revoked: true,
    });
  }

  /** The owner and scopes of a token secret; undefined when it is unknown or revoked. */
  async resolve(token: string): Promise<ResolvedApiToken | undefined> {
    if (!token.startsWith(apiTokenPrefix)) return undefined;
    const row = await this.#tokens.useByHash(sha256Hex(token));
    return row && { tokenId: row.id, userId: row.userId, roles: row.roles, scopes: row.scopes };
  }
}
