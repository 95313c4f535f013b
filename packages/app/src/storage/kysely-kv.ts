import { type Kysely, sql } from "kysely";
import type { TenantStore } from "./app-store.js";
import type { AppDatabase } from "./database-schema.js";
import { toNumber } from "./row-mapping.js";

/** The app's own per-tenant key-value data. */
export function kyselyKv(db: Kysely<AppDatabase>, memberId: string): TenantStore["kv"] {
  return {
    async get(key) {
      const row = await db
        .selectFrom("b24kit_kv")
        .select("value")
        .where("member_id", "=", memberId)
        .where("key", "=", key)
        .executeTakeFirst();
      return row?.value;
    },

    async set(key, value) {
      await db
        .insertInto("b24kit_kv")
        .values({ member_id: memberId, key, value })
        .onConflict((oc) => oc.columns(["member_id", "key"]).doUpdateSet({ value }))
        .execute();
    },

    async delete(key) {
      const result = await db
        .deleteFrom("b24kit_kv")
        .where("member_id", "=", memberId)
        .where("key", "=", key)
        .executeTakeFirst();
      return toNumber(result.numDeletedRows) > 0;
    },

    async keys(prefix) {
      let query = db.selectFrom("b24kit_kv").select("key").where("member_id", "=", memberId);
      if (prefix) {
        // Not LIKE: it is case-insensitive on SQLite and would need `%`/`_` escaped.
        const text = sql<string>`cast(${prefix} as text)`;
        query = query.where(sql<string>`substr(${sql.ref("key")}, 1, length(${text}))`, "=", text);
      }
      const rows = await query.orderBy("key").execute();
      return rows.map((row) => row.key);
    },
  };
}
