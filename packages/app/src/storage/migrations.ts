import {
  type Kysely,
  type Migration,
  type MigrationProvider,
  Migrator,
  PostgresAdapter,
  type RawBuilder,
  sql,
} from "kysely";
import { AppError } from "../core/app-error.js";
import type { AppDatabase } from "./database-schema.js";

/**
 * The schema of AppStore, one migration per change, in code (not files read
 * from disk) so the same list runs from src and from dist, on SQLite and on
 * PostgreSQL. Never edit a migration that shipped: add the next one.
 */
const APP_STORE_MIGRATIONS: Record<string, Migration> = {
  "0001_app_store": {
    async up(db: Kysely<unknown>) {
      const { key, serialId } = columnTypes(db);
      await db.schema
        .createTable("b24kit_tenants")
        .addColumn("member_id", key, (c) => c.primaryKey())
        .addColumn("domain", "text", (c) => c.notNull())
        .addColumn("client_endpoint", "text", (c) => c.notNull())
        .addColumn("server_endpoint", "text", (c) => c.notNull())
        .addColumn("state", "text", (c) => c.notNull())
        .addColumn("state_reason", "text")
        .addColumn("app_status", "text")
        .addColumn("scopes", "text", (c) => c.notNull())
        .addColumn("manifest_version", "text")
        .addColumn("sealed_application_token", "text")
        .addColumn("installed_at", "bigint", (c) => c.notNull())
        .addColumn("updated_at", "bigint", (c) => c.notNull())
        .execute();
      await db.schema
        .createTable("b24kit_tokens")
        .addColumn("member_id", key, (c) => c.primaryKey())
        .addColumn("sealed_access_token", "text", (c) => c.notNull())
        .addColumn("sealed_refresh_token", "text", (c) => c.notNull())
        .addColumn("expires_at", "bigint", (c) => c.notNull())
        .addColumn("user_id", "integer")
        .addColumn("scope", "text")
        .addColumn("version", "integer", (c) => c.notNull())
        .execute();
      await db.schema
        .createTable("b24kit_capabilities")
        .addColumn("member_id", key, (c) => c.primaryKey())
        .addColumn("probed_at", "bigint", (c) => c.notNull())
        .addColumn("facts", "text", (c) => c.notNull())
        .execute();
      await db.schema
        .createTable("b24kit_kv")
        .addColumn("member_id", key, (c) => c.notNull())
        .addColumn("key", key, (c) => c.notNull())
        .addColumn("value", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("b24kit_kv_pk", ["member_id", "key"])
        .execute();
      await serialId(
        db.schema
          .createTable("b24kit_audit")
          .addColumn("member_id", key, (c) => c.notNull())
          .addColumn("at", "bigint", (c) => c.notNull())
          .addColumn("kind", "text", (c) => c.notNull())
          .addColumn("correlation_id", "text", (c) => c.notNull())
          .addColumn("action", "text", (c) => c.notNull())
          .addColumn("outcome", "text", (c) => c.notNull())
          .addColumn("duration_ms", "integer")
          .addColumn("detail", "text"),
      ).execute();
      // `b24kit logs --member-id … --since …` and the console read one tenant's lines by time;
      // retention and the cross-tenant view read by time alone.
      await db.schema
        .createIndex("b24kit_audit_member_at")
        .on("b24kit_audit")
        .columns(["member_id", "at"])
        .execute();
      await db.schema.createIndex("b24kit_audit_at").on("b24kit_audit").column("at").execute();
    },
    async down(db: Kysely<unknown>) {
      for (const table of [
        "b24kit_audit",
        "b24kit_kv",
        "b24kit_capabilities",
        "b24kit_tokens",
        "b24kit_tenants",
      ]) {
        await db.schema.dropTable(table).ifExists().execute();
      }
    },
  },
  "0002_metric_samples": {
    async up(db: Kysely<unknown>) {
      const { key } = columnTypes(db);
      await db.schema
        .createTable("b24kit_metric_samples")
        .addColumn("member_id", key, (c) => c.notNull())
        .addColumn("instance", key, (c) => c.notNull())
        .addColumn("at", "bigint", (c) => c.notNull())
        .addColumn("series", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("b24kit_metric_samples_pk", ["member_id", "instance", "at"])
        .execute();
      // The console's charts read a time window; pruning deletes by time.
      await db.schema
        .createIndex("b24kit_metric_samples_at")
        .on("b24kit_metric_samples")
        .column("at")
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable("b24kit_metric_samples").ifExists().execute();
    },
  },
  "0003_event_matches": {
    async up(db: Kysely<unknown>) {
      const { key } = columnTypes(db);
      await db.schema
        .createTable("b24kit_event_matches")
        .addColumn("member_id", key, (c) => c.notNull())
        .addColumn("job_id", key, (c) => c.notNull())
        .addColumn("stream", key, (c) => c.notNull())
        .addColumn("source", "text", (c) => c.notNull())
        .addColumn("second", "bigint", (c) => c.notNull())
        .addColumn("outcome", "text", (c) => c.notNull())
        .addColumn("matched", "integer", (c) => c.notNull())
        .addColumn("at", "bigint", (c) => c.notNull())
        .addPrimaryKeyConstraint("b24kit_event_matches_pk", ["member_id", "job_id"])
        .execute();
      // A claim looks for the other copy of a change among one stream's rows near its second.
      await db.schema
        .createIndex("b24kit_event_matches_stream")
        .on("b24kit_event_matches")
        .columns(["member_id", "stream", "second"])
        .execute();
      await db.schema
        .createIndex("b24kit_event_matches_at")
        .on("b24kit_event_matches")
        .column("at")
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable("b24kit_event_matches").ifExists().execute();
    },
  },
};

type CreateTable = ReturnType<Kysely<unknown>["schema"]["createTable"]>;

/**
 * The two places where the dialects differ. Keys sort and compare bytewise on
 * both (PostgreSQL's default collation follows the locale, so `kv.keys()` would
 * order differently than on SQLite); audit ids are 64-bit on PostgreSQL.
 */
function columnTypes(db: Kysely<unknown>): {
  key: "text" | RawBuilder<unknown>;
  serialId: (table: CreateTable) => CreateTable;
} {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    return {
      key: sql`text collate "C"`,
      serialId: (table) => table.addColumn("id", "bigserial", (c) => c.primaryKey()),
    };
  }
  return {
    key: "text",
    serialId: (table) => table.addColumn("id", "integer", (c) => c.primaryKey().autoIncrement()),
  };
}

const provider: MigrationProvider = {
  getMigrations: async () => APP_STORE_MIGRATIONS,
};

/** Names of every migration the store knows, oldest first. */
export const APP_STORE_MIGRATION_NAMES: readonly string[] = Object.keys(APP_STORE_MIGRATIONS).sort();

/**
 * Brings the schema to the latest migration; resolves the names applied now
 * (empty when it was up to date). Idempotent, and safe when several processes
 * start at once (Kysely's migration lock).
 */
export async function migrateToLatest(db: Kysely<AppDatabase>, schema?: string): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider,
    migrationTableName: "b24kit_migrations",
    migrationLockTableName: "b24kit_migrations_lock",
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error) {
    const failed = results.find((r) => r.status === "Error")?.migrationName ?? "(before any migration ran)";
    const reason = error instanceof Error ? error.message : String(error);
    throw new AppError(
      "STORAGE_MIGRATION_FAILED",
      500,
      `b24kit storage migration ${failed} failed: ${reason}`,
      {
        cause: error,
      },
    );
  }
  return results.filter((r) => r.status === "Success").map((r) => r.migrationName);
}
