import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { pgSchemas, pgUrl, tempFolder } from "./storage-helpers.js";

const folder = tempFolder("migrate-command");
const schemas = pgSchemas();
afterAll(async () => {
  folder.remove();
  await schemas.dropAll();
});

const root = fileURLToPath(new URL("../../..", import.meta.url));

/** `b24kit migrate …` from the CLI's source, as a user runs it. */
function b24kit(args: string[], env: Record<string, string | undefined> = {}) {
  const run = spawnSync(
    process.execPath,
    ["--conditions=source", "--import", "tsx", "packages/cli/src/cli.ts", ...args],
    { cwd: root, encoding: "utf8", env: { ...process.env, B24KIT_DATABASE_URL: undefined, ...env } },
  );
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe("b24kit migrate", () => {
  it("applies the schema to a SQLite file, then says it is up to date", () => {
    const file = folder.file();
    const first = b24kit(["migrate", "--database", `sqlite:${file}`]);
    expect(first).toMatchObject({ status: 0, stderr: "" });
    expect(first.stdout).toBe(
      `database sqlite:${file}\n  applied 0001_app_store\n  applied 0002_metric_samples\n  applied 0003_event_matches\nschema is now at 0003_event_matches\n`,
    );
    const again = b24kit(["migrate", "--database", `sqlite:${file}`]);
    expect(again.stdout).toBe(`database sqlite:${file}\nschema already up to date (0003_event_matches)\n`);
  });

  it("reads B24KIT_DATABASE_URL; a PostgreSQL password never shows", () => {
    const schema = schemas.next();
    const withPassword = pgUrl.replace("postgres://postgres@", "postgres://postgres:hunter2@");
    const run = b24kit(["migrate"], { B24KIT_DATABASE_URL: `${withPassword}?schema=${schema}` });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("applied 0001_app_store");
    expect(run.stdout).toContain(`(schema ${schema})`);
    expect(run.stdout + run.stderr).not.toContain("hunter2");
  });

  it("fails with a clear message without a database, or with one it cannot open", () => {
    const none = b24kit(["migrate"]);
    expect(none.status).toBe(1);
    expect(none.stderr).toMatch(/no database: pass --database/);
    const wrong = b24kit(["migrate", "--database", "mysql://root:hunter2@db/app"]);
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toMatch(/Unsupported database URL scheme "mysql:"/);
    expect(wrong.stderr).not.toContain("hunter2");
  });
});
