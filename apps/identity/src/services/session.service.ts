import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { AccessTokenClaims } from '@tonearm/contracts';
import type { IdentityEnv } from '../config/identity-env.ts';
import { ApiException } from '../http/api-exception.ts';
import { CONFIG } from '../identity.providers.ts';
import { EventRepository } from '../repositories/event.repository.ts';
import { SessionRepository } from '../repositories/session.repository.ts';
import { UserRepository } from '../repositories/user.repository.ts';
import { AccessTokenService } from './access-token.service.ts';
import { newSecret, sha256Hex } from './secrets.ts';

/** An access token, its lifetime and the refresh token that renews it. */
export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

/**
 * Sessions: opened at login, renewed by single-use refresh tokens, ended by logout, logout-all,
 * a password change or the reuse of a spent refresh token after its grace.
 */
@Injectable()
export class SessionService {
  readonly #sessions: SessionRepository;
  readonly #users: UserRepository;
  readonly #accessTokens: AccessTokenService;
  readonly #events: EventRepository;
  readonly #config: IdentityEnv;

  constructor(
    @Inject(SessionRepository) sessions: SessionRepository,
    @Inject(UserRepository) users: UserRepository,
    @Inject(AccessTokenService) accessTokens: AccessTokenService,
    @Inject(EventRepository) events: EventRepository,
    @Inject(CONFIG) config: IdentityEnv,
  ) {
    this.#sessions = sessions;
    this.#users = users;
    this.#accessTokens = accessTokens;
    this.#events = events;
    this.#config = config;
  }

  /** Opens a session for a user whose password was checked. */
  async open(user: { id: string; roles: AccessTokenClaims['roles'] }): Promise<TokenPair> {
    const sessionId = randomUUID();
    const refreshToken = newSecret();
    await this.#sessions.create({
      sessionId,
      userId: user.id,
      refreshHash: sha256Hex(refreshToken),
      ttlSeconds: this.#config.IDENTITY_SESSION_TTL_SECONDS,
    });
    return this.#pair(user.id, sessionId, user.roles, refreshToken);
  }

  /**
   * Spends a refresh token for a new pair. A spent token ends its whole session: whoever holds
   * a copy (the thief or the user) is signed out. Within `IDENTITY_REFRESH_REUSE_GRACE_SECONDS`
   * of its first use it gets a new pair instead: the client may never have received the first
   * answer (a page left while refreshing) or two tabs may have refreshed at once.
   */
  async refresh(refreshToken: string): Promise<TokenPair> {
    const next = newSecret();
    const outcome = await this.#sessions.rotate(sha256Hex(refreshToken), sha256Hex(next), {
      ttlSeconds: this.#config.IDENTITY_SESSION_TTL_SECONDS,
      graceSeconds: this.#config.IDENTITY_REFRESH_REUSE_GRACE_SECONDS,
    });
    if (outcome.kind === 'reused') {
      if (outcome.userId) {
        await this.#events.publish('identity.session.ended.v1', {
          userId: outcome.userId,
          sessionIds: [outcome.sessionId],
          reason: 'refresh-token-reused',
        });
      }
      throw new ApiException('unauthorized', 'this refresh token was already used; the session has ended');
    }
    if (outcome.kind === 'unknown') throw new ApiException('unauthorized', 'the refresh token is invalid or expired');
    const user = await this.#users.findById(outcome.userId);
    if (!user) {
      await this.#sessions.delete(outcome.userId, outcome.sessionId);
      throw new ApiException('unauthorized', 'the account no longer exists');
    }
    return this.#pair(user.id, outcome.sessionId, user.roles, next);
  }

  /** Whether a session still lives. */
  isAlive(sessionId: string): Promise<boolean> {
    return this.#sessions.exists(sessionId);
  }

  /** Ends one session. */
  async end(userId: string, sessionId: string): Promise<void> {
    await this.#sessions.delete(userId, sessionId);
    await this.#events.publish('identity.session.ended.v1', { userId, sessionIds: [sessionId], reason: 'logout' });
  }

  /** Ends every session of a user, but `keep` when given. */
  async endAll(userId: string, reason: 'logout-all' | 'password-changed', keep?: string): Promise<void> {
    const sessionIds = await this.#sessions.deleteAll(userId, keep);
    await this.#events.publish('identity.session.ended.v1', { userId, sessionIds, reason });
  }

  async #pair(
    userId: string,
    sessionId: string,
    roles: AccessTokenClaims['roles'],
    refreshToken: string,
  ): Promise<TokenPair> {
    const accessToken = await this.#accessTokens.issue({ userId, sessionId, roles });
    return { accessToken, refreshToken, expiresIn: this.#accessTokens.ttlSeconds };
  }
}
