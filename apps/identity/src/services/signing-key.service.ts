import { randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { accessTokenDefaults, type Jwks } from '@tonearm/contracts';
import type { Logger } from '@tonearm/runtime';
import { exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';
import type { IdentityEnv } from '../config/identity-env.ts';
import { CONFIG } from '../identity.providers.ts';
import { EventRepository } from '../repositories/event.repository.ts';
import { SigningKeyRepository, type SigningKeyRow } from '../repositories/signing-key.repository.ts';
import { LOGGER } from '../service-host.providers.ts';

/** The key that signs new access tokens. */
export interface ActiveSigningKey {
  kid: string;
  privateKey: CryptoKey;
}

/** How long a cached view of the keys is trusted before Postgres is read again (another instance may rotate). */
const cacheMs = 30_000;
/** How often a running instance checks whether the signing key is due for rotation. */
const rotationCheckMs = 3_600_000;
/** Clock skew allowed between instances and the edge when a retired key stops verifying. */
const skewSeconds = 60;

/**
 * Which keys verify: the active one and those retired less than one access-token lifetime
 * (plus skew) ago, whose tokens may still be valid.
 *
 * @example
 * publishedKeys(rows, new Date(), 900).map((row) => row.kid);
 */
export function publishedKeys(rows: SigningKeyRow[], now: Date, accessTokenTtlSeconds: number): SigningKeyRow[] {
  const cutoff = now.getTime() - (accessTokenTtlSeconds + skewSeconds) * 1000;
  return rows.filter((row) => row.retiredAt === null || row.retiredAt.getTime() > cutoff);
}

/**
 * The Ed25519 keys that sign access tokens: created on first start, replaced when older than
 * `IDENTITY_KEY_ROTATION_DAYS` (checked at start and hourly) or on {@link SigningKeyService.rotateKeys}. Every change is
 * published as `identity.signing-keys.rotated.v1` with the JWKS.
 */
@Injectable()
export class SigningKeyService implements OnModuleInit, OnModuleDestroy {
  readonly #keys: SigningKeyRepository;
  readonly #events: EventRepository;
  readonly #config: IdentityEnv;
  readonly #logger: Logger;
  #cache: { rows: SigningKeyRow[]; loadedAt: number; active?: ActiveSigningKey } | undefined;
  #timer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(SigningKeyRepository) keys: SigningKeyRepository,
    @Inject(EventRepository) events: EventRepository,
    @Inject(CONFIG) config: IdentityEnv,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.#keys = keys;
    this.#events = events;
    this.#config = config;
    this.#logger = logger;
  }

  async onModuleInit(): Promise<void> {
    const maxAgeMs = this.#config.IDENTITY_KEY_ROTATION_DAYS * 86_400_000;
    const replaceWhenOld = () =>
      this.#replace((active) => !active || Date.now() - active.createdAt.getTime() > maxAgeMs);
    await replaceWhenOld();
    this.#timer = setInterval(() => {
      replaceWhenOld().catch((error: unknown) => this.#logger.error({ err: error }, 'scheduled key rotation failed'));
    }, rotationCheckMs);
    this.#timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.#timer);
  }

  /**
   * Makes a new key the signing key; the previous one keeps verifying until the tokens it
   * signed have expired.
   *
   * @example
   * await signingKeys.rotateKeys();
   */
  async rotateKeys(): Promise<void> {
    await this.#replace(() => true);
  }

  /** The key that signs now. */
  async activeKey(): Promise<ActiveSigningKey> {
    const cache = await this.#load();
    if (cache.active) return cache.active;
    const row = cache.rows.find((key) => key.retiredAt === null);
    if (!row) throw new Error('no active signing key');
    cache.active = { kid: row.kid, privateKey: (await importJWK(row.privateJwk as JWK, row.algorithm)) as CryptoKey };
    return cache.active;
  }

  /** The public keys that verify access tokens now, as served at `/.well-known/jwks.json`. */
  async jwks(options: { fresh?: boolean } = {}): Promise<Jwks> {
    const cache = await this.#load(options.fresh);
    return {
      keys: publishedKeys(cache.rows, new Date(), this.#config.IDENTITY_ACCESS_TOKEN_TTL_SECONDS).map(
        (row) => row.publicJwk,
      ),
    };
  }

  async #replace(needed: (active: SigningKeyRow | undefined) => boolean): Promise<void> {
    const replaced = await this.#keys.replaceActive(async (active) => {
      if (!needed(active)) return undefined;
      const kid = randomUUID();
      const { publicKey, privateKey } = await generateKeyPair(accessTokenDefaults.algorithm, {
        crv: 'Ed25519',
        extractable: true,
      });
      const meta = { kid, alg: accessTokenDefaults.algorithm, use: 'sig' };
      return {
        kid,
        algorithm: accessTokenDefaults.algorithm,
        publicJwk: { ...(await exportJWK(publicKey)), ...meta },
        privateJwk: { ...(await exportJWK(privateKey)), ...meta },
      };
    });
    if (!replaced) return;
    const jwks = await this.jwks({ fresh: true });
    this.#logger.info({ kids: jwks.keys.map((key) => key.kid) }, 'signing key rotated');
    await this.#events.publish('identity.signing-keys.rotated.v1', { jwks });
  }

  async #load(fresh = false) {
    if (!fresh && this.#cache && Date.now() - this.#cache.loadedAt < cacheMs) return this.#cache;
    const rows = await this.#keys.list();
    const previous = this.#cache?.active;
    const activeRow = rows.find((key) => key.retiredAt === null);
    this.#cache = {
      rows,
      loadedAt: Date.now(),
      ...(previous && previous.kid === activeRow?.kid ? { active: previous } : {}),
    };
    return this.#cache;
  }
}
