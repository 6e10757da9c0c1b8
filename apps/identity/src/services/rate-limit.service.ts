import { Inject, Injectable } from '@nestjs/common';
import type { SettingsStore } from '@tonearm/bus';
import { sessionKeys } from '@tonearm/contracts';
import { ApiException } from '../http/api-exception.ts';
import { RateLimitRepository } from '../repositories/rate-limit.repository.ts';
import { SETTINGS } from '../service-host.providers.ts';
import { sha256Hex } from './secrets.ts';

function accountKey(email: string): string {
  return sessionKeys.loginAttempts('account', sha256Hex(email));
}

/**
 * Login attempts per account and per client address, in fixed windows, with the limits of the
 * live setting `ratelimit.login`. Every attempt counts before its password is checked, so parallel
 * guesses cannot slip between a check and a count; a successful login clears its account's count.
 */
@Injectable()
export class RateLimitService {
  readonly #counters: RateLimitRepository;
  readonly #settings: Pick<SettingsStore, 'get'>;

  constructor(@Inject(RateLimitRepository) counters: RateLimitRepository, @Inject(SETTINGS) settings: SettingsStore) {
    this.#counters = counters;
    this.#settings = settings;
  }

  /**
   * Counts a login attempt before the password is checked; throws 429 with `Retry-After` (seconds until the window of the
   * exhausted limit ends) once either limit is passed. Accounts are keyed by the email's sha256,
   * so no email is written to Redis.
   */
  async countLoginAttempt(email: string, address: string): Promise<void> {
    const { perAccount, perAddress } = this.#settings.get('ratelimit.login');
    const [account, client] = await this.#counters.hit([
      { key: accountKey(email), windowSeconds: perAccount.windowSeconds },
      { key: sessionKeys.loginAttempts('address', address), windowSeconds: perAddress.windowSeconds },
    ]);
    const exceeded = [
      ...(account!.count > perAccount.limit ? [account!.resetInMs] : []),
      ...(client!.count > perAddress.limit ? [client!.resetInMs] : []),
    ];
    if (exceeded.length === 0) return;
    const retryAfter = Math.max(1, Math.ceil(Math.max(...exceeded) / 1000));
    throw new ApiException('rate_limited', 'too many sign-in attempts; try again later', {
      headers: { 'Retry-After': String(retryAfter) },
      details: { retryAfterSeconds: retryAfter },
    });
  }

  /**
   * Clears the account's count after a right password: whoever knows it needs no guesses, and
   * the user's own typos before it should not lock them out later. The address count stays.
   */
  async loginSucceeded(email: string): Promise<void> {
    await this.#counters.reset(accountKey(email));
  }
}
