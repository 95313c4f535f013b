import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import { AppError } from "../core/app-error.js";
import type { AppStore } from "./app-store.js";
import type { AppDatabase } from "./database-schema.js";
import { KyselyAppStore } from "./kysely-app-store.js";
import { migrateToLatest } from "./migrations.js";

export type PostgresStoreOptions = (
  | {
      /** `postgres://user:password@host:5432/database`; the store opens (and closes) its own pool. */
      url: string;
      /** Connections in the store's own pool (default 10). */
      maxConnections?: number;
    }
  | {
      /** A pool the caller owns: the store never ends it. */
      pool: pg.Pool;
    }
) & {
  /** Keep the tables in this schema (created by migrate) instead of the search_path's first. */
  schema?: string;
};

/** AppStore on PostgreSQL (the cluster profile): many processes share one database. */
export function postgresStore(options: PostgresStoreOptions): AppStore {
  const { schema } = options;
  if (schema !== undefined && !/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(schema)) {
    throw new AppError(
      "DATABASE_SCHEMA_INVALID",
      500,
      `PostgreSQL schema name "${schema}" must be a plain identifier (letters, digits, _)`,
    );
  }
  const ownPool =
    "url" in options
      ? new pg.Pool({ connectionString: options.url, max: options.maxConnections ?? 10 })
      : undefined;
  // An idle connection the server drops emits "error" on the pool; without a listener that kills the
  // process. The pool replaces the connection on the next query, which reports any lasting failure.
  ownPool?.on("error", () => {});
  const pool = ownPool ?? ("pool" in options ? options.pool : undefined);
  if (!pool) throw new AppError("DATABASE_URL_INVALID", 500, "postgresStore needs { url } or { pool }");
  const base = new Kysely<AppDatabase>({ dialect: new PostgresDialect({ pool }) });
  const db = schema ? base.withSchema(schema) : base;
  return new KyselyAppStore({
    db,
    migrate: () => migrateToLatest(db, schema),
    // Kysely's destroy() ends the pool, which only the store's own pool may do.
    close: async () => {
      if (ownPool) await base.destroy();
    },
  });
}
