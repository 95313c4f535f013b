import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { bin } from "./helpers.js";

// Every b24kit command checks its options, arguments and environment variables where they come in
// (issue 16): a bad one ends the command with exit 1 and one line on stderr naming the flag (or the
// variable) and what it takes, before anything is started or written. The CLI runs from the build
// as users run it; `b24kit emulator`'s own options are emulator-options.test.ts.

const dir = mkdtempSync(join(tmpdir(), "b24kit-options-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const aFile = join(dir, "a-file.txt");
writeFileSync(aFile, "not a folder\n");
const missingDb = join(dir, "missing.db");

/** What the variables b24kit reads would leak into a run from the test's own environment. */
const CLEAN_ENV = [
  "PORT",
  "B24KIT_EMULATOR_PORT",
  "B24KIT_DATABASE_URL",
  "B24KIT_WEBHOOK_URL",
  "B24KIT_APP_URL",
];

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function b24kit(args: string[], env: Record<string, string> = {}, cwd = dir): Promise<Run> {
  const merged: NodeJS.ProcessEnv = { ...process.env };
  for (const name of CLEAN_ENV) delete merged[name];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      cwd,
      env: { ...merged, ...env },
      stdio: ["ignore", "pipe", "pipe"],
      timeout: 30_000,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c));
    child.stderr.on("data", (c: Buffer) => (stderr += c));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

type Case = [args: string[], message: string | RegExp, env?: Record<string, string>];

/** Runs every case at once (each is a process of its own) and checks each is refused in one line. */
async function refusesAll(cases: Case[], cwd = dir): Promise<void> {
  const runs = await Promise.all(cases.map(([args, , env]) => b24kit(args, env, cwd)));
  runs.forEach((run, i) => {
    const [args, message, env] = cases[i]!;
    const label = `${env ? `${Object.entries(env).map(([k, v]) => `${k}=${v}`)} ` : ""}b24kit ${args.join(" ")}`;
    expect(run.status, label).toBe(1);
    expect(run.stdout, label).toBe("");
    expect(run.stderr.trim().split("\n"), `${label}: ${run.stderr}`).toHaveLength(1);
    if (typeof message === "string") expect(run.stderr, label).toContain(message);
    else expect(run.stderr, label).toMatch(message);
    for (const secret of SECRETS) expect(run.stderr, label).not.toContain(secret);
  });
}

const HOOK = "https://portal.example.test/rest/1/abcdefghijkl/";
/** What no message may echo: a webhook's code, a database password. */
const SECRETS = ["abcdefghijkl", "hunter2"];

describe("b24kit call", () => {
  it("refuses bad numbers, database URLs, member ids, flags without the one they need, and bad variables", async () => {
    await refusesAll([
      [
        ["call", "crm.deal.list", "--all", "--parallel", "x", "--webhook", HOOK],
        '--parallel must be a whole number from 1 to 8, got "x"',
      ],
      [
        ["call", "crm.deal.list", "--all", "--progress-every", "soon", "--webhook", HOOK],
        '--progress-every must be seconds from 0 to 3600, got "soon"',
      ],
      [
        ["call", "crm.deal.list", "--quiet", "--webhook", HOOK],
        "--quiet is for --all (add --all, or leave --quiet out)",
      ],
      [["call", "crm.deal.list", "--parallel", "4", "--webhook", HOOK], "--parallel is for --all"],
      [
        ["call", "crm.deal.list", "--member-id", "a b"],
        `--member-id must be a portal's member_id (1–128 letters, digits, _ . or -), got "a b"`,
      ],
      [
        ["call", "crm.deal.list", "--member-id", "abc", "--database", "mysql://root:hunter2@db/app"],
        /--database: Unsupported database URL scheme "mysql:": use sqlite:FILE .* or postgres:\/\//,
      ],
      [
        ["call", "crm.deal.list", "--webhook", HOOK.replace("https:", "ftp:")],
        "--webhook must be an incoming webhook like https://portal.bitrix24.com/rest/1/CODE/",
      ],
      [
        ["call", "crm.deal.list", "--member-id", "abc", "--database", `sqlite:${missingDb}`],
        `--database: no SQLite database at ${missingDb}: run \`b24kit migrate\` first`,
      ],
      [
        ["call", "crm.deal.list", "--webhook", HOOK, "--database", `sqlite:${aFile}`],
        "--database is for --member-id",
      ],
      [["call", "crm.deal.list"], "B24KIT_WEBHOOK_URL is not a URL: nope", { B24KIT_WEBHOOK_URL: "nope" }],
      [
        ["call", "crm.deal.list", "--member-id", "abc"],
        'B24KIT_DATABASE_URL: Unsupported database URL scheme "redis:"',
        { B24KIT_DATABASE_URL: "redis://x" },
      ],
      [["call", "crm.deal.list", "--webhook", HOOK, "--colour", "red"], "unknown option '--colour'"],
    ]);
    expect(existsSync(missingDb)).toBe(false);
  });
});

describe("b24kit logs and migrate", () => {
  it("refuse bad times, kinds, limits, windows and database URLs; a missing SQLite file is not created", async () => {
    const db = `sqlite:${aFile}`;
    await refusesAll([
      [
        ["logs", "--database", db, "--since", "yesterday"],
        '--since: "yesterday" is not a time: use a duration back from now (30m, 1h, 7d) or an ISO time',
      ],
      [["logs", "--database", db, "--until", "soon"], '--until: "soon" is not a time'],
      [["logs", "--database", db, "--since", "1h", "--until", "2h"], "--since must be before --until"],
      [
        ["logs", "--database", db, "--kind", "rest,nope"],
        "--kind: unknown nope (known: rest, inbound, oauth, lifecycle, security, event, operator)",
      ],
      [["logs", "--database", db, "--kind", ","], "--kind must name at least one kind"],
      [["logs", "--database", db, "--limit", "0"], '--limit must be a whole number from 1 to 10000, got "0"'],
      [["logs", "--database", db, "--member-id", "x/y"], "--member-id must be a portal's member_id"],
      [
        ["logs", "--database", `sqlite:${missingDb}`],
        `--database: no SQLite database at ${missingDb}: run \`b24kit migrate\` first`,
      ],
      [
        ["logs"],
        `B24KIT_DATABASE_URL: no SQLite database at ${missingDb}`,
        { B24KIT_DATABASE_URL: `sqlite:${missingDb}` },
      ],
      [
        ["migrate", "--database", "mysql://root:hunter2@db/app"],
        '--database: Unsupported database URL scheme "mysql:"',
      ],
      [
        ["migrate"],
        'B24KIT_DATABASE_URL: Unsupported database URL scheme "ftp:"',
        { B24KIT_DATABASE_URL: "ftp://x" },
      ],
      [["migrate", "extra"], "too many arguments for 'migrate'"],
    ]);
    expect(existsSync(missingDb)).toBe(false);
  });

  it("take good values: migrate creates the database, logs reads it with every filter", async () => {
    const db = `sqlite:${join(dir, "app.db")}`;
    const migrated = await b24kit(["migrate", "--database", db]);
    expect(migrated.status, migrated.stderr).toBe(0);
    const logs = await b24kit(
      ["logs", "--since", "1h", "--kind", "rest,inbound", "--limit", "5", "--member-id", "m1"],
      {
        B24KIT_DATABASE_URL: db,
      },
    );
    expect(logs.status, logs.stderr).toBe(0);
    expect(logs.stderr).toBe("no audit lines match\n");
  });
});

describe("b24kit worker, replay and new", () => {
  it("refuse bad numbers, missing files, bad URLs and a file where a folder goes; nothing is written", async () => {
    await refusesAll([
      [
        ["worker", "--app", "app.mjs", "--concurrency", "many"],
        '--concurrency must be a whole number from 1 to 1000, got "many"',
      ],
      [
        ["worker", "--app", "no/such/app.mjs"],
        "--app: cannot load the app module no/such/app.mjs: no such file",
      ],
      [["worker"], "required option '--app <module>' not specified"],
      [["replay", join(dir, "missing.json")], `no such file: ${join(dir, "missing.json")}`],
      [["replay", aFile, "--url", "ftp://127.0.0.1/"], '--url must be http:// or https://, got "ftp:"'],
      [["replay", aFile], 'B24KIT_APP_URL: not a URL: "not a url"', { B24KIT_APP_URL: "not a url" }],
      [["replay", aFile, "--ts", "yesterday"], '--ts must be "now" or unix seconds'],
      [["new", "Bad_Name"], '"Bad_Name" cannot be an npm package name: it has capital letters'],
      [["new", "good-name", "--dir", aFile], `--dir: ${aFile} exists and is not a folder`],
      [["new"], "missing required argument 'name'"],
    ]);
    expect(readdirSync(dir).filter((f) => f.includes("good-name"))).toEqual([]);
  });
});

describe("b24kit dev and matrix", () => {
  it("refuse bad ports (flags and variables), missing entries and folders, bad scopes and plans, before starting anything", async () => {
    const app = join(dir, "app");
    mkdirSync(join(app, "src"), { recursive: true });
    writeFileSync(join(app, "src", "server.ts"), "// never run: every case is refused first\n");
    await refusesAll(
      [
        [["dev", "--port", "x"], '--port must be a port number 0..65535 (0 picks a free one), got "x"'],
        [
          ["dev", "--emulator-port", "70000"],
          '--emulator-port must be a port number 0..65535 (0 picks a free one), got "70000"',
        ],
        [["dev"], 'PORT must be a port number 0..65535 (0 picks a free one), got "abc"', { PORT: "abc" }],
        [
          ["dev", "--port", "0"],
          'B24KIT_EMULATOR_PORT must be a port number 0..65535 (0 picks a free one), got "8o8o"',
          { B24KIT_EMULATOR_PORT: "8o8o" },
        ],
        [["dev", "--entry", "src/main.ts"], "--entry: no such file: src/main.ts"],
        [
          ["dev", "--scopes", "crm;user"],
          '--scopes must be scope codes separated by commas (e.g. crm,placement,user_brief), got "crm;user"',
        ],
        [["dev", "--state", "src"], "--state: src exists and is not a file"],
        [["dev", "--ca-dir", "src/server.ts"], "--ca-dir: src/server.ts exists and is not a folder"],
        [["matrix", "--app", join(dir, "nowhere")], `--app: no such folder: ${join(dir, "nowhere")}`],
        [
          ["matrix", "--base", "gold"],
          "argument 'gold' is invalid. Allowed choices are free, basic, standard, professional, enterprise.",
        ],
        [
          ["matrix", "--plans", "gold"],
          "--plans: unknown gold (known: free, basic, standard, professional, enterprise, all, none)",
        ],
        [["matrix", "--users", "admin,boss"], "--users: unknown boss"],
        [["matrix", "--concurrency", "0"], '--concurrency must be a whole number from 1 to 16, got "0"'],
        [["matrix", "--timeout", "1m"], '--timeout must be a whole number from 1 to 600, got "1m"'],
        [["matrix", "--scenarios", ","], "--scenarios must name at least one scenario"],
        [["matrix", "--out", "src"], "--out: src exists and is not a file"],
      ],
      app,
    );
    // Nothing was started or written in the app's folder (b24kit dev keeps its state in .b24kit/).
    expect(readdirSync(app)).toEqual(["src"]);
  });

  it("refuse package.json settings they do not know, before writing anything", async () => {
    const app = join(dir, "typo-app");
    mkdirSync(join(app, "src"), { recursive: true });
    writeFileSync(join(app, "src", "server.ts"), "// never run\n");
    writeFileSync(
      join(app, "package.json"),
      JSON.stringify({ name: "typo-app", b24kit: { entyr: "src/server.ts", scopes: "crm" } }),
    );
    await refusesAll(
      [
        [
          ["dev", "--port", "0", "--emulator-port", "0"],
          /package\.json: "b24kit": unknown key "entyr" \(known: scopes, manifest, entry, matrix\); "scopes" must be a list of scope codes/,
        ],
        [["matrix", "--app", app], 'unknown key "entyr"'],
      ],
      app,
    );
    expect(readdirSync(app).sort()).toEqual(["package.json", "src"]);
  });
});
