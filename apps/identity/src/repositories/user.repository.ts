import { Inject, Injectable } from '@nestjs/common';
import { eq, sql } from 'drizzle-orm';
import type { IdentityDatabase } from '../database/database.ts';
import { users } from '../database/schema.ts';
import { DATABASE } from '../identity.providers.ts';

/** A stored account. */
export type UserRow = typeof users.$inferSelect;

/** The lock that makes "first account of a fresh install" true for exactly one account. */
const firstAccountLockId = 0x1de_0002;

/** Accounts in Postgres. */
@Injectable()
export class UserRepository {
  readonly #db: IdentityDatabase;

  constructor(@Inject(DATABASE) db: IdentityDatabase) {
    this.#db = db;
  }

  async findByEmail(email: string): Promise<UserRow | undefined> {
    const [row] = await this.#db.select().from(users).where(eq(users.email, email)).limit(1);
    return row;
  }

  async findById(id: string): Promise<UserRow | undefined> {
    const [row] = await this.#db.select().from(users).where(eq(users.id, id)).limit(1);
    return row;
  }

  /**
   * Inserts an account; `isFirst` tells `decideRoles` whether it is the first of the install.
   * The check and the insert run under one transaction-scoped advisory lock, so two accounts
   * registering at once on a fresh install cannot both be first. Answers undefined when the
   * email is taken.
   */
  async create(
    user: Omit<UserRow, 'roles' | 'createdAt' | 'passwordChangedAt'>,
    decideRoles: (isFirst: boolean) => UserRow['roles'],
  ): Promise<UserRow | undefined> {
    return this.#db.transaction(async (tx) => {
      await tx.execute(sql`SELECT pg_advisory_xact_lock(${firstAccountLockId})`);
      const [existing] = await tx.select({ id: users.id }).from(users).limit(1);
      const [row] = await tx
        .insert(users)
        .values({ ...user, roles: decideRoles(!existing) })
        .onConflictDoNothing({ target: users.email })
        .returning();
      return row;
    });
  }

  async updatePasswordHash(id: string, passwordHash: string): Promise<void> {
    await this.#db.update(users).set({ passwordHash, passwordChangedAt: new Date() }).where(eq(users.id, id));
  }
}
