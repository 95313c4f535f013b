import { postgresStore } from "@b24kit/app/postgres";
import { sqliteStore } from "@b24kit/app/sqlite";
import { describeAppStore } from "@b24kit/app/testing";
import { afterAll, describe, it } from "vitest";
import { pgSchemas, tempFolder } from "./storage-helpers.js";

const t = { describe, it };
const folder = tempFolder("conformance");
const schemas = pgSchemas();

afterAll(async () => {
  folder.remove();
  await schemas.dropAll();
});

describeAppStore("SQLite (temp file)", () => sqliteStore({ file: folder.file() }), t);
describeAppStore("SQLite (in memory)", () => sqliteStore({ file: ":memory:" }), t);
describeAppStore(
  "PostgreSQL (shared pool, fresh schema per check)",
  () => postgresStore({ pool: schemas.pool, schema: schemas.next() }),
  t,
);
