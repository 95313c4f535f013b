import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AppStore } from "@b24kit/app";
import { postgresStore } from "@b24kit/app/postgres";
import { sqliteStore } from "@b24kit/app/sqlite";
import Database from "libsql";
import pg from "pg";
import { testSchemaName } from "../../../scripts/test-pg-schemas.js";

export const pgUrl = process.env.B24KIT_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test";

/** A temp folder for SQLite files; `remove()` in afterAll. */
export function tempFolder(label: string) {
  const dir = mkdtempSync(join(tmpdir(), `b24kit-${label}-`));
  let n = 0;
  return {
    dir,
    file: (name = "store") => join(dir, `${name}-${n++}.db`),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * Fresh PostgreSQL schemas for one test file (other files run at the same time on
 * the same database): `next()` names a new one; `dropAll()` closes the pool — the
 * schemas are dropped once the whole run is done (scripts/test-pg-schemas.ts).
 */
export function pgSchemas() {
  const pool = new pg.Pool({ connectionString: pgUrl, max: 10 });
  pool.on("error", () => {});
  const file = testSchemaName("store");
  let n = 0;
  return {
    pool,
    next: () => `${file}_${n++}`,
    async dropAll() {
      await pool.end();
    },
  };
}

/** A store on each adapter, plus every row of every b24kit table as text (what an attacker with the database sees). */
export interface AdapterCase {
  name: string;
  open(): Promise<{ store: AppStore; rawText(): Promise<string> }>;
}

export function adapterCases(folder: ReturnType<typeof tempFolder>, schemas: ReturnType<typeof pgSchemas>) {
  const tables = ["b24kit_tenants", "b24kit_tokens", "b24kit_capabilities", "b24kit_kv", "b24kit_audit"];
  const sqlite: AdapterCase = {
    name: "SQLite",
    async open() {
      const file = folder.file();
      const store = sqliteStore({ file });
      await store.migrate();
      return {
        store,
        async rawText() {
          const db = new Database(file);
          try {
            const rows = tables.map((t) => db.prepare(`select * from ${t}`).all());
            // The file bytes too, WAL included: nothing in clear may reach the disk at all.
            const bytes = [file, `${file}-wal`]
              .filter((f) => existsSync(f))
              .map((f) => readFileSync(f).toString("latin1"));
            return JSON.stringify(rows) + bytes.join("");
          } finally {
            db.close();
          }
        },
      };
    },
  };
  const postgres: AdapterCase = {
    name: "PostgreSQL",
    async open() {
      const schema = schemas.next();
      const store = postgresStore({ pool: schemas.pool, schema });
      await store.migrate();
      return {
        store,
        async rawText() {
          const rows = [];
          for (const t of tables)
            rows.push((await schemas.pool.query(`select * from "${schema}".${t}`)).rows);
          return JSON.stringify(rows);
        },
      };
    },
  };
  return [sqlite, postgres];
}
