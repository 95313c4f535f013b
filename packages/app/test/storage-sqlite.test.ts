import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { sqliteStore } from "@b24kit/app/sqlite";
import Database from "libsql";
import { afterAll, describe, expect, it } from "vitest";
import { tempFolder } from "./storage-helpers.js";

const folder = tempFolder("sqlite");
afterAll(() => folder.remove());

const root = fileURLToPath(new URL("../../..", import.meta.url));

/**
 * A process that opens the store, says "ready", and migrates when told "go" on stdin, so two of them
 * migrate at the same moment; resolves the JSON list of migrations it applied.
 */
function migratingChild(file: string) {
  const code = `
    const { sqliteStore } = await import("@b24kit/app/sqlite");
    const store = sqliteStore({ file: ${JSON.stringify(file)} });
    console.log("ready");
    await new Promise((resolve) => process.stdin.once("data", resolve));
    console.log(JSON.stringify(await store.migrate()));
    await store.close();
    process.exit(0);`;
  const child = spawn(
    process.execPath,
    ["--conditions=source", "--import", "tsx", "--input-type=module", "-e", code],
    {
      cwd: root,
      stdio: ["pipe", "pipe", "pipe"],
    },
  );
  let out = "";
  let err = "";
  child.stderr.on("data", (d) => (err += d));
  const ready = new Promise<void>((resolve) =>
    child.stdout.on("data", (d) => {
      out += d;
      if (out.startsWith("ready\n")) resolve();
    }),
  );
  const result = new Promise<string>((resolve, reject) =>
    child.on("exit", (status) =>
      status === 0
        ? resolve(out.slice("ready\n".length).trim())
        : reject(new Error(`exit ${status}: ${err}`)),
    ),
  );
  return { ready, go: () => child.stdin.write("go\n"), result };
}

const tenant = {
  domain: "acme.bitrix24.com",
  clientEndpoint: "https://acme.bitrix24.com/rest/",
  serverEndpoint: "https://oauth.bitrix.info/rest/",
  state: "active" as const,
  scopes: [],
  installedAt: 1,
  updatedAt: 1,
};

describe("sqliteStore", () => {
  it("creates the file and its folder, in WAL mode", async () => {
    const file = join(folder.dir, "nested", "deeper", "app.db");
    const store = sqliteStore({ file });
    expect(await store.migrate()).toEqual(["0001_app_store", "0002_metric_samples", "0003_event_matches"]);
    await store.close();
    expect(existsSync(file)).toBe(true);
    const db = new Database(file);
    expect(db.prepare("pragma journal_mode").all()).toEqual([{ journal_mode: "wal" }]);
    db.close();
  });

  it("two processes migrating one new file at once: both succeed, the schema is applied once", async () => {
    const file = folder.file("race");
    const children = [migratingChild(file), migratingChild(file)];
    await Promise.all(children.map((c) => c.ready));
    for (const child of children) child.go();
    const results = await Promise.all(children.map((c) => c.result));
    expect(results.sort()).toEqual(['["0001_app_store","0002_metric_samples","0003_event_matches"]', "[]"]);
    const store = sqliteStore({ file });
    expect(await store.migrate()).toEqual([]);
    await store.close();
  }, 60_000);

  it("two connections to one file: the token compare-and-swap holds between them", async () => {
    const file = folder.file("two-handles");
    const one = sqliteStore({ file });
    const two = sqliteStore({ file });
    await one.migrate();
    await one.tenant("m").put(tenant);
    const sealed = { sealedAccessToken: "a", sealedRefreshToken: "r", expiresAt: 1 };
    expect((await one.tenant("m").tokens.save(sealed, 0))?.version).toBe(1);
    expect(await two.tenant("m").tokens.save(sealed, 0)).toBeUndefined();
    const results = await Promise.all([
      one.tenant("m").tokens.save({ ...sealed, sealedAccessToken: "one" }, 1),
      two.tenant("m").tokens.save({ ...sealed, sealedAccessToken: "two" }, 1),
    ]);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect((await two.tenant("m").tokens.load())?.sealedAccessToken).toBe(
      results.find(Boolean)?.sealedAccessToken,
    );
    await one.close();
    await two.close();
  });

  it("audit queries return at most 10,000 lines, whatever limit is asked", async () => {
    const file = folder.file("audit-cap");
    const store = sqliteStore({ file });
    await store.migrate();
    // Straight into the table in one transaction: 10,050 appends one by one would take a while.
    const db = new Database(file);
    const insert = db.prepare(
      "insert into b24kit_audit (member_id, at, kind, correlation_id, action, outcome) values (?, ?, 'rest', 'c', 'a', 'ok')",
    );
    db.transaction(() => {
      for (let i = 0; i < 10_050; i++) insert.run(i % 2 ? "m1" : "m2", i);
    })();
    db.close();
    expect(await store.admin.audit({ limit: 1_000_000 })).toHaveLength(10_000);
    expect(await store.tenant("m1").audit.query({ limit: 20_000 })).toHaveLength(5_025);
    expect((await store.admin.audit({ limit: 1_000_000 }))[0]?.at).toBe(10_049);
    await store.close();
  });
});
