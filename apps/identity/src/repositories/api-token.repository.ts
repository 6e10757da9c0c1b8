import { Inject, Injectable } from '@nestjs/common';
import { and, asc, eq } from 'drizzle-orm';
import type { IdentityDatabase } from '../database/database.ts';
import { apiTokens, users } from '../database/schema.ts';
import { DATABASE } from '../identity.providers.ts';

/** A stored API token (its secret only as a sha256). */
export type ApiTokenRow = typeof apiTokens.$inferSelect;

/** API tokens in Postgres. */
@Injectable()
export class ApiTokenRepository {
  readonly #db: IdentityDatabase;

  constructor(@Inject(DATABASE) db: IdentityDatabase) {
    this.#db = db;
  }

  async create(token: Omit<ApiTokenRow, 'createdAt' | 'lastUsedAt'>): Promise<ApiTokenRow> {
    const [row] = await this.#db.insert(apiTokens).values(token).returning();
    return row!;
  }

  listByUser(userId: string): Promise<ApiTokenRow[]> {
    return this.#db.select().from(apiTokens).where(eq(apiTokens.userId, userId)).orderBy(asc(apiTokens.createdAt));
  }

  /** Deletes a token of the user; answers the deleted row, undefined when the user has no such token. */
  async delete(userId: string, id: string): Promise<ApiTokenRow | undefined> {
    const [row] = await this.#db
      .delete(apiTokens)
      .where(and(eq(apiTokens.id, id), eq(apiTokens.userId, userId)))
      .returning();
    return row;
  }

  /** The token with this secret hash and its owner's roles, marking it used now. */
  async useByHash(tokenHash: string): Promise<(ApiTokenRow & { roles: ('user' | 'admin')[] }) | undefined> {
    const [row] = await this.#db
      .update(apiTokens)
      .set({ lastUsedAt: new Date() })
      .where(eq(apiTokens.tokenHash, tokenHash))
      .returning();
    if (!row) return undefined;
    const [owner] = await this.#db.select({ roles: users.roles }).from(users).where(eq(users.id, row.userId));
    return owner ? { ...row, roles: owner.roles } : undefined;
  }
}
