import type { Kysely } from "kysely";
import { AppError } from "../core/app-error.js";
import type { TenantStore } from "./app-store.js";
import type { AppDatabase } from "./database-schema.js";
import { tokensFromRow } from "./row-mapping.js";

/**
 * A tenant's sealed tokens with a compare-and-swap save: one statement that
 * writes only if the stored version is the expected one, so of concurrent
 * savers (processes refreshing at once) exactly one wins — a refresh token is
 * single-use, a lost race must never overwrite a newer pair.
 */
export function kyselyTokenRows(db: Kysely<AppDatabase>, memberId: string): TenantStore["tokens"] {
  return {
    async load() {
      const row = await db
        .selectFrom("b24kit_tokens")
        .selectAll()
        .where("member_id", "=", memberId)
        .executeTakeFirst();
      return row && tokensFromRow(row);
    },

    async save(tokens, expectedVersion) {
      if (!Number.isSafeInteger(expectedVersion) || expectedVersion < 0) {
        throw new AppError(
          "TOKEN_VERSION_INVALID",
          500,
          `expectedVersion must be a whole number >= 0, got ${expectedVersion}`,
        );
      }
      const values = {
        sealed_access_token: tokens.sealedAccessToken,
        sealed_refresh_token: tokens.sealedRefreshToken,
        expires_at: tokens.expiresAt,
        user_id: tokens.userId ?? null,
        scope: tokens.scope ?? null,
        version: expectedVersion + 1,
      };
      // Version 0 means "none stored": the insert loses to any row already there.
      const row =
        expectedVersion === 0
          ? await db
              .insertInto("b24kit_tokens")
              .values({ member_id: memberId, ...values })
              .onConflict((oc) => oc.column("member_id").doNothing())
              .returningAll()
              .executeTakeFirst()
          : await db
              .updateTable("b24kit_tokens")
              .set(values)
              .where("member_id", "=", memberId)
              .where("version", "=", expectedVersion)
              .returningAll()
              .executeTakeFirst();
      return row && tokensFromRow(row);
    },

    async delete() {
      await db.deleteFrom("b24kit_tokens").where("member_id", "=", memberId).execute();
    },
  };
}
