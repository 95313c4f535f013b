import { postgresStore } from "@b24kit/app/postgres";
import { afterAll, describe, expect, it } from "vitest";
import { pgSchemas, pgUrl } from "./storage-helpers.js";

const schemas = pgSchemas();
afterAll(() => schemas.dropAll());

async function tablesIn(schema: string): Promise<string[]> {
  const { rows } = await schemas.pool.query<{ table_name: string }>(
    "select table_name from information_schema.tables where table_schema = $1 order by table_name",
    [schema],
  );
  return rows.map((r) => r.table_name);
}

describe("postgresStore", () => {
  it("keeps its tables in the given schema, created by migrate", async () => {
    const schema = schemas.next();
    const store = postgresStore({ url: pgUrl, schema });
    expect(await store.migrate()).toEqual(["0001_app_store", "0002_metric_samples", "0003_event_matches"]);
    expect(await tablesIn(schema)).toEqual([
      "b24kit_audit",
      "b24kit_capabilities",
      "b24kit_event_matches",
      "b24kit_kv",
      "b24kit_metric_samples",
      "b24kit_migrations",
      "b24kit_migrations_lock",
      "b24kit_tenants",
      "b24kit_tokens",
    ]);
    await store.close();
  });

  it("two processes migrating one new schema at once: both succeed, the schema is applied once", async () => {
    const schema = schemas.next();
    const one = postgresStore({ url: pgUrl, schema });
    const two = postgresStore({ url: pgUrl, schema });
    const results = await Promise.all([one.migrate(), two.migrate()]);
    expect(results.map((r) => r.length).sort()).toEqual([0, 3]);
    await one.close();
    await two.close();
  });

  it("close ends the pool the store opened, never a pool it was given", async () => {
    const own = postgresStore({ url: pgUrl, schema: schemas.next() });
    await own.migrate();
    await own.close();
    await expect(own.tenant("m").get()).rejects.toThrow();

    const given = postgresStore({ pool: schemas.pool, schema: schemas.next() });
    await given.migrate();
    await given.close();
    expect((await schemas.pool.query("select 1 as one")).rows[0].one).toBe(1);
  });

  it("refuses a schema name that is not a plain identifier", () => {
    expect(() => postgresStore({ url: pgUrl, schema: 'x"; drop table y; --' })).toThrow(/plain identifier/);
  });
});
