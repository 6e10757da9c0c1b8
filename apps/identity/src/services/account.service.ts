import { randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { User } from '@tonearm/contracts';
import type { IdentityEnv } from '../config/identity-env.ts';
import { ApiException } from '../http/api-exception.ts';
import { CONFIG, PASSWORD_HASHER } from '../identity.providers.ts';
import { EventRepository } from '../repositories/event.repository.ts';
import type { PasswordHasher } from '../repositories/password-hasher.ts';
import { UserRepository, type UserRow } from '../repositories/user.repository.ts';
import { rolesForNewAccount } from './account-roles.ts';
import { isCommonPassword, loadCommonPasswords } from './common-passwords.ts';
import { RateLimitService } from './rate-limit.service.ts';
import { newSecret } from './secrets.ts';
import { SessionService, type TokenPair } from './session.service.ts';

/** The one answer to a failed login, whether the email is unknown or the password wrong. */
const loginFailed = () => new ApiException('unauthorized', 'wrong email or password');

function commonPasswordError(field: string) {
  return new ApiException('invalid_request', 'the password is too common', {
    details: { formErrors: [], fieldErrors: { [field]: ['is one of the most common passwords; choose another'] } },
  });
}

/** A user as the API shows it. */
export function toUser(row: UserRow): User {
  return { id: row.id, email: row.email, displayName: row.displayName, roles: row.roles };
}

/** Accounts: registration, login and password changes. */
@Injectable()
export class AccountService implements OnModuleInit {
  readonly #users: UserRepository;
  readonly #hasher: PasswordHasher;
  readonly #sessions: SessionService;
  readonly #rateLimits: RateLimitService;
  readonly #events: EventRepository;
  readonly #config: IdentityEnv;
  readonly #commonPasswords = loadCommonPasswords();
  /** Checked when the email is unknown, so that path costs one argon2 verification like a wrong password. */
  #dummyHash = '';

  constructor(
    @Inject(UserRepository) users: UserRepository,
    @Inject(PASSWORD_HASHER) hasher: PasswordHasher,
    @Inject(SessionService) sessions: SessionService,
    @Inject(RateLimitService) rateLimits: RateLimitService,
    @Inject(EventRepository) events: EventRepository,
    @Inject(CONFIG) config: IdentityEnv,
  ) {
    this.#users = users;
    this.#hasher = hasher;
    this.#sessions = sessions;
    this.#rateLimits = rateLimits;
    this.#events = events;
    this.#config = config;
  }

  async onModuleInit(): Promise<void> {
    this.#dummyHash = await this.#hasher.hash(newSecret());
  }

  /** Creates an account; 409 when the email is taken, 400 for a common password. */
  async register(input: { email: string; password: string; displayName: string }): Promise<User> {
    if (isCommonPassword(this.#commonPasswords, input.password)) throw commonPasswordError('password');
    const passwordHash = await this.#hasher.hash(input.password);
    const row = await this.#users.create(
      { id: randomUUID(), email: input.email, displayName: input.displayName, passwordHash },
      (isFirst) => rolesForNewAccount(input.email, { isFirst, adminEmails: this.#config.IDENTITY_ADMIN_EMAILS }),
    );
    if (!row) throw new ApiException('conflict', 'an account with this email already exists');
    await this.#events.publish('identity.user.registered.v1', {
      userId: row.id,
      displayName: row.displayName,
      roles: row.roles,
    });
    return toUser(row);
  }

  /**
   * Checks the password and opens a session. An unknown email is verified against a dummy hash,
   * so it answers the same 401 after the same work as a wrong password.
   */
  async login(input: { email: string; password: string }, address: string): Promise<TokenPair & { user: User }> {
    await this.#rateLimits.countLoginAttempt(input.email, address);
    const row = await this.#users.findByEmail(input.email);
    const matches = await this.#hasher.verify(row?.passwordHash ?? this.#dummyHash, input.password);
    if (!row || !matches) throw loginFailed();
    await this.#rateLimits.loginSucceeded(input.email);
    return { ...(await this.#sessions.open(row)), user: toUser(row) };
  }

  /** The user of a principal; 401 when the account is gone. */
  async get(userId: string): Promise<User> {
    const row = await this.#users.findById(userId);
    if (!row) throw new ApiException('unauthorized', 'the account no longer exists');
    return toUser(row);
  }

  /** Changes the password and ends every session of the user but `sessionId`. */
  async changePassword(
    principal: { userId: string; sessionId: string },
    input: { currentPassword: string; newPassword: string },
    address: string,
  ): Promise<void> {
    const row = await this.#users.findById(principal.userId);
    if (!row) throw new ApiException('unauthorized', 'the account no longer exists');
    await this.#rateLimits.countLoginAttempt(row.email, address);
    if (!(await this.#hasher.verify(row.passwordHash, input.currentPassword))) {
      throw new ApiException('invalid_request', 'the current password is wrong', {
        details: { formErrors: [], fieldErrors: { currentPassword: ['is wrong'] } },
      });
    }
    if (isCommonPassword(this.#commonPasswords, input.newPassword)) throw commonPasswordError('newPassword');
    await this.#users.updatePasswordHash(row.id, await this.#hasher.hash(input.newPassword));
    await this.#sessions.endAll(row.id, 'password-changed', principal.sessionId);
    await this.#events.publish('identity.user.password-changed.v1', { userId: row.id });
  }
}
