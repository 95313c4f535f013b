import type { Kysely } from "kysely";
import { AppError } from "../core/app-error.js";
import type { AdminStore, AppStore, TenantStore } from "./app-store.js";
import type { AppDatabase } from "./database-schema.js";
import { kyselyAdminStore } from "./kysely-admin-store.js";
import { KyselyTenantStore } from "./kysely-tenant-store.js";
import { TenantRowQuery } from "./tenant-row-query.js";

export interface KyselyAppStoreParts {
  db: Kysely<AppDatabase>;
  /** The adapter's way to run migrations (SQLite and PostgreSQL lock differently). */
  migrate(): Promise<string[]>;
  /** Releases what the adapter opened (not a pool the caller passed in). */
  close(): Promise<void>;
}

/** AppStore on Kysely: one implementation, SQLite and PostgreSQL adapters around it. */
export class KyselyAppStore implements AppStore {
  readonly admin: AdminStore;
  readonly #parts: KyselyAppStoreParts;
  readonly #tenantRow: TenantRowQuery;

  constructor(parts: KyselyAppStoreParts) {
    this.#parts = parts;
    this.admin = kyselyAdminStore(parts.db);
    this.#tenantRow = new TenantRowQuery(parts.db);
  }

  tenant(memberId: string): TenantStore {
    if (typeof memberId !== "string" || memberId === "") {
      throw new AppError(
        "TENANT_REQUIRED",
        500,
        "A tenant store needs the portal's member_id (a non-empty string)",
      );
    }
    return new KyselyTenantStore(this.#parts.db, memberId, this.#tenantRow);
  }

  migrate(): Promise<string[]> {
    return this.#parts.migrate();
  }

  close(): Promise<void> {
    return this.#parts.close();
  }
}
