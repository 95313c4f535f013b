import type { CompiledQuery, Kysely, Selectable } from "kysely";
import type { AppDatabase, TenantsTable } from "./database-schema.js";

/**
 * The tenant row by member_id, compiled once per store: the event ingress
 * reads it on every POST (the application_token), and building and compiling
 * the query with Kysely takes longer than the database takes to answer it.
 * Only the bound member_id changes between runs.
 */
export class TenantRowQuery {
  readonly #db: Kysely<AppDatabase>;
  #compiled: CompiledQuery<Selectable<TenantsTable>> | undefined;

  constructor(db: Kysely<AppDatabase>) {
    this.#db = db;
  }

  async select(memberId: string): Promise<Selectable<TenantsTable> | undefined> {
    this.#compiled ??= this.#db
      .selectFrom("b24kit_tenants")
      .selectAll()
      .where("member_id", "=", memberId)
      .compile();
    const result = await this.#db.executeQuery<Selectable<TenantsTable>>({
      ...this.#compiled,
      parameters: [memberId],
    });
    return result.rows[0];
  }
}
