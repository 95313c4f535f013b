import { randomBytes } from "node:crypto";
import pg from "pg";

/*
 * PostgreSQL schemas of one test run. Files that run at the same time share the
 * database, and Kysely's migrator introspects every schema in it (its
 * pg_get_serial_sequence fails on a schema dropped meanwhile), so no file drops
 * its schemas while others may be migrating: every test schema is named
 * `b24kit_test_<run>_…` and the run drops its own once all files are done.
 * Another checkout's run on the same database has another <run> and is left alone.
 */

const RUN_ENV = "B24KIT_TEST_RUN";
const pgUrl = () => process.env.B24KIT_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test";

/** Names this run's schemas begin with (set by the global setup; a lone file makes its own). */
export function testSchemaPrefix(): string {
  process.env[RUN_ENV] ??= randomBytes(4).toString("hex");
  return `b24kit_test_${process.env[RUN_ENV]}_`;
}

/** A new schema name of this run, unique within it. */
export function testSchemaName(label: string): string {
  return `${testSchemaPrefix()}${label}_${randomBytes(4).toString("hex")}`;
}

/** Drops every schema of this run (global teardown). Unreachable PostgreSQL: nothing to drop. */
export async function dropRunSchemas(): Promise<void> {
  const prefix = testSchemaPrefix();
  const pool = new pg.Pool({ connectionString: pgUrl(), max: 1 });
  pool.on("error", () => {});
  try {
    const { rows } = await pool.query<{ nspname: string }>(
      "select nspname from pg_namespace where left(nspname, length($1)) = $1",
      [prefix],
    );
    for (const { nspname } of rows) await pool.query(`drop schema "${nspname}" cascade`);
  } catch {
    // PostgreSQL is down or absent: the tests that needed it failed already and said why.
  } finally {
    await pool.end().catch(() => {});
  }
}
