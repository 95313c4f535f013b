import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describeDatabaseUrl, parseDatabaseUrl, storeFromUrl } from "@b24kit/app";
import { afterAll, describe, expect, it } from "vitest";
import { pgSchemas, pgUrl, tempFolder } from "./storage-helpers.js";

const folder = tempFolder("from-url");
const schemas = pgSchemas();
afterAll(async () => {
  folder.remove();
  await schemas.dropAll();
});

const root = fileURLToPath(new URL("../../..", import.meta.url));

describe("database URLs", () => {
  it("parses the SQLite and PostgreSQL forms", () => {
    expect(parseDatabaseUrl("sqlite:./data/app.db")).toEqual({ kind: "sqlite", file: "./data/app.db" });
    expect(parseDatabaseUrl("sqlite://data/app.db")).toEqual({ kind: "sqlite", file: "data/app.db" });
    expect(parseDatabaseUrl("sqlite:///var/lib/app.db")).toEqual({ kind: "sqlite", file: "/var/lib/app.db" });
    expect(parseDatabaseUrl("sqlite::memory:")).toEqual({ kind: "sqlite", file: ":memory:" });
    expect(parseDatabaseUrl("postgres://u:p@db:5432/app")).toEqual({
      kind: "postgres",
      url: "postgres://u:p@db:5432/app",
    });
    expect(parseDatabaseUrl("postgresql://db/app?schema=b24&sslmode=require")).toEqual({
      kind: "postgres",
      url: "postgresql://db/app?sslmode=require",
      schema: "b24",
    });
  });

  it("refuses what it cannot open, naming the forms it takes, never echoing the URL", () => {
    expect(() => parseDatabaseUrl("")).toThrow(/No database URL.*sqlite:FILE/);
    expect(() => parseDatabaseUrl("sqlite:")).toThrow(/names no file/);
    const error = (() => {
      try {
        parseDatabaseUrl("mysql://root:hunter2@db/app");
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error?.message).toMatch(/Unsupported database URL scheme "mysql:".*postgres:\/\//);
    expect(error?.message).not.toContain("hunter2");
  });

  it("describes a URL with its password hidden", () => {
    expect(describeDatabaseUrl("postgres://app:hunter2@db:5432/app?schema=b24")).toBe(
      "postgres://app:***@db:5432/app (schema b24)",
    );
    expect(describeDatabaseUrl("sqlite:./app.db")).toBe("sqlite:./app.db");
  });

  it("opens a working SQLite store", async () => {
    const store = await storeFromUrl(`sqlite:${folder.file()}`);
    expect(await store.migrate()).toEqual(["0001_app_store", "0002_metric_samples", "0003_event_matches"]);
    await store.tenant("m").kv.set("k", "v");
    expect(await store.tenant("m").kv.get("k")).toBe("v");
    await store.close();
  });

  it("opens a working PostgreSQL store in the URL's schema", async () => {
    const schema = schemas.next();
    const store = await storeFromUrl(`${pgUrl}?schema=${schema}`);
    expect(await store.migrate()).toEqual(["0001_app_store", "0002_metric_samples", "0003_event_matches"]);
    await store.tenant("m").kv.set("k", "v");
    const { rows } = await schemas.pool.query(`select value from "${schema}".b24kit_kv`);
    expect(rows).toEqual([{ value: "v" }]);
    await store.close();
  });

  it("importing @b24kit/app loads neither libsql nor pg", () => {
    const code = `
      import { createRequire } from "node:module";
      const app = await import("@b24kit/app");
      const loaded = Object.keys(createRequire(import.meta.url).cache);
      console.log(JSON.stringify({
        storeFromUrl: typeof app.storeFromUrl,
        native: loaded.filter((p) => /node_modules[\\\\/](libsql|@libsql|pg)[\\\\/]/.test(p)),
      }));`;
    const run = spawnSync(
      process.execPath,
      ["--conditions=source", "--import", "tsx", "--input-type=module", "-e", code],
      { cwd: root, encoding: "utf8" },
    );
    expect(run.stderr).toBe("");
    expect(JSON.parse(run.stdout)).toEqual({ storeFromUrl: "function", native: [] });
  });
});
