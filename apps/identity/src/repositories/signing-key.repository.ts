import { Inject, Injectable } from '@nestjs/common';
import { desc, eq, isNull, sql } from 'drizzle-orm';
import type { IdentityDatabase } from '../database/database.ts';
import { signingKeys } from '../database/schema.ts';
import { DATABASE } from '../identity.providers.ts';

/** A stored signing key. */
export type SigningKeyRow = typeof signingKeys.$inferSelect;

/** Serialises key creation and rotation across instances. */
const rotationLockId = 0x1de_0003;

/** Signing keys in Postgres. */
@Injectable()
export class SigningKeyRepository {
  readonly #db: IdentityDatabase;

  constructor(@Inject(DATABASE) db: IdentityDatabase) {
    this.#db = db;
  }

  /** Every key, newest first. */
  list(): Promise<SigningKeyRow[]> {
    return this.#db.select().from(signingKeys).orderBy(desc(signingKeys.createdAt));
  }

  /**
   * Under a lock: asks `decide` whether the active key (undefined when none) must be replaced,
   * and if so retires it and stores the new key `decide` made. Answers whether it replaced one.
   */
  async replaceActive(
    decide: (active: SigningKeyRow | undefined) => Promise<Omit<SigningKeyRow, 'createdAt' | 'retiredAt'> | undefined>,
  ): Promise<boolean> {
    return this.#db.transaction(async (tx) => {
      await tx.execute(sql`SELECT pg_advisory_xact_lock(${rotationLockId})`);
      const [active] = await tx
        .select()
        .from(signingKeys)
        .where(isNull(signingKeys.retiredAt))
        .orderBy(desc(signingKeys.createdAt))
        .limit(1);
      const next = await decide(active);
      if (!next) return false;
      const now = new Date();
      if (active) await tx.update(signingKeys).set({ retiredAt: now }).where(eq(signingKeys.kid, active.kid));
      await tx.insert(signingKeys).values({ ...next, createdAt: now });
      return true;
    });
  }
}
