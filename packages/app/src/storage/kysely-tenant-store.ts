import type { Kysely } from "kysely";
import type { TenantStore } from "./app-store.js";
import { type AppDatabase, TENANT_TABLES } from "./database-schema.js";
import { appendAudit, queryAudit } from "./kysely-audit.js";
import { kyselyCapabilities } from "./kysely-capabilities.js";
import { kyselyEventMatches } from "./kysely-event-matches.js";
import { kyselyKv } from "./kysely-kv.js";
import { kyselyTokenRows } from "./kysely-token-rows.js";
import { tenantColumns, tenantFromRow, tenantRow } from "./row-mapping.js";
import { TenantRowQuery } from "./tenant-row-query.js";

/** One tenant's view of the store: every statement is bound to its member_id. */
export class KyselyTenantStore implements TenantStore {
  readonly tokens: TenantStore["tokens"];
  readonly capabilities: TenantStore["capabilities"];
  readonly kv: TenantStore["kv"];
  readonly eventMatches: TenantStore["eventMatches"];
  readonly audit: TenantStore["audit"];
  readonly #db: Kysely<AppDatabase>;
  readonly #rowQuery: TenantRowQuery;

  constructor(
    db: Kysely<AppDatabase>,
    readonly memberId: string,
    /** Shared by the store's tenant views (compiled once); a view of its own without it. */
    rowQuery: TenantRowQuery = new TenantRowQuery(db),
  ) {
    this.#db = db;
    this.#rowQuery = rowQuery;
    this.tokens = kyselyTokenRows(db, memberId);
    this.capabilities = kyselyCapabilities(db, memberId);
    this.kv = kyselyKv(db, memberId);
    this.eventMatches = kyselyEventMatches(db, memberId);
    this.audit = {
      append: (entry) => appendAudit(db, memberId, entry),
      query: (filter) => queryAudit(db, memberId, filter),
    };
  }

  async get() {
    const row = await this.#rowQuery.select(this.memberId);
    return row && tenantFromRow(row);
  }

  async put(record: Parameters<TenantStore["put"]>[0]) {
    const values = tenantRow(this.memberId, record);
    const { member_id: _, ...columns } = values;
    const row = await this.#db
      .insertInto("b24kit_tenants")
      .values(values)
      .onConflict((oc) => oc.column("member_id").doUpdateSet(columns))
      .returningAll()
      .executeTakeFirstOrThrow();
    return tenantFromRow(row);
  }

  /** One statement: the state guard and the change cannot be split by another writer. */
  async update(...[patch, fromStates]: Parameters<TenantStore["update"]>) {
    if (fromStates?.length === 0) return undefined;
    const columns = tenantColumns(patch);
    if (Object.keys(columns).length === 0) {
      const current = await this.get();
      return current && (!fromStates || fromStates.includes(current.state)) ? current : undefined;
    }
    let query = this.#db.updateTable("b24kit_tenants").set(columns).where("member_id", "=", this.memberId);
    if (fromStates) query = query.where("state", "in", fromStates);
    const row = await query.returningAll().executeTakeFirst();
    return row && tenantFromRow(row);
  }

  async purge() {
    await this.#db.transaction().execute(async (trx) => {
      for (const table of TENANT_TABLES) {
        await trx.deleteFrom(table).where("member_id", "=", this.memberId).execute();
      }
    });
  }
}
