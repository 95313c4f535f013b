import type { Kysely } from "kysely";
import type { TenantStore } from "./app-store.js";
import type { AppDatabase } from "./database-schema.js";
import { toNumber } from "./row-mapping.js";

/** What the capability probe found on the tenant's portal; one row, replaced by each probe. */
export function kyselyCapabilities(db: Kysely<AppDatabase>, memberId: string): TenantStore["capabilities"] {
  return {
    async get() {
      const row = await db
        .selectFrom("b24kit_capabilities")
        .selectAll()
        .where("member_id", "=", memberId)
        .executeTakeFirst();
      return (
        row && { probedAt: toNumber(row.probed_at), facts: JSON.parse(row.facts) as Record<string, unknown> }
      );
    },

    async put(record) {
      const values = { probed_at: record.probedAt, facts: JSON.stringify(record.facts) };
      await db
        .insertInto("b24kit_capabilities")
        .values({ member_id: memberId, ...values })
        .onConflict((oc) => oc.column("member_id").doUpdateSet(values))
        .execute();
    },
  };
}
