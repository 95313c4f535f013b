import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  AuditLog,
  formatAuditTable,
  parseTimeBound,
  recordInbound,
  type StoredAuditEntry,
} from "@b24kit/app";
import { sqliteStore } from "@b24kit/app/sqlite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const dir = mkdtempSync(join(tmpdir(), "b24kit-logs-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const M1 = "a1b2c3d4e5f60718293a4b5c6d7e8f90";
const M2 = "f0e1d2c3b4a5968778695a4b3c2d1e0f";
const MIN = 60_000;
const database = `sqlite:${join(dir, "app.db")}`;

/** The CLI from its sources, as `b24kit` runs it (no build needed). */
const cli = join(import.meta.dirname, "..", "..", "cli", "src", "cli.ts");
const root = join(import.meta.dirname, "..", "..", "..");

function b24kit(...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--conditions=source", "--import", "tsx", cli, ...args], {
      cwd: root,
      env: { ...process.env, B24KIT_DATABASE_URL: "" },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c));
    child.stderr.on("data", (c: Buffer) => (stderr += c));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

beforeAll(async () => {
  const store = sqliteStore({ file: join(dir, "app.db") });
  await store.migrate();
  const audit = new AuditLog(store);
  const now = Date.now();
  const rows: Array<[string, number, "rest" | "oauth", string, string]> = [
    [M1, now - 120 * MIN, "rest", "crm.deal.list", "c-old"],
    [M1, now - 30 * MIN, "oauth", "refresh_token", "c-mid"],
    [M1, now - 5 * MIN, "rest", "profile", "c-new"],
    [M2, now - 10 * MIN, "rest", "user.current", "c-other"],
  ];
  for (const [member, at, kind, action, correlationId] of rows) {
    await audit.record(member, {
      kind,
      action,
      outcome: "ok",
      at,
      correlationId,
      durationMs: 7,
      detail: { status: 200, params: { auth: "at-should-never-print-0001" } },
    });
  }
  await recordInbound(audit, {
    memberId: M1,
    correlationId: "c-new",
    surface: "placement",
    method: "POST",
    url: "/b24/placement/deal-tab?AUTH_ID=authid-should-never-print",
    outcome: "rejected",
    status: 403,
    durationMs: 2,
    errorCode: "AUTH_ID_REJECTED",
  });
  // A row written past AuditLog (the store's own redaction misses a bare form body): printing redacts again.
  await store.tenant(M1).audit.append({
    at: now - 3 * MIN,
    kind: "inbound",
    correlationId: "c-raw",
    action: "POST /b24/app",
    outcome: "ok",
    detail: { raw: "AUTH_ID=authid2-should-never-print&PLACEMENT=DEFAULT" },
  });
  await audit.flush();
  await store.close();
});

// Each run starts a Node process that compiles the CLI's sources: seconds each on a busy machine.
describe("b24kit logs", { timeout: 120_000 }, () => {
  it("prints one tenant's lines as JSON, oldest first", async () => {
    const r = await b24kit("logs", "--database", database, "--member-id", M1, "--json");
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const lines = r.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.action)).toEqual([
      "crm.deal.list",
      "refresh_token",
      "profile",
      "POST /b24/app",
      "POST /b24/placement/deal-tab",
    ]);
    expect(lines[3].detail.raw).toBe("AUTH_ID=[redacted]&PLACEMENT=DEFAULT");
    expect(lines.every((l) => l.memberId === M1)).toBe(true);
    expect(lines[0]).toMatchObject({ kind: "rest", outcome: "ok", durationMs: 7, correlationId: "c-old" });
    expect(new Date(lines[0].time).getTime()).toBe(lines[0].at);
    expect(r.stdout).not.toMatch(/should-never-print/);
  });

  it("filters by time, kind, correlation id and limit", async () => {
    const actions = async (...args: string[]) => {
      const r = await b24kit("logs", "--database", database, "--member-id", M1, "--json", ...args);
      expect(r.status).toBe(0);
      return r.stdout
        .trim()
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l).action);
    };
    const [recent, older, oneRequest] = await Promise.all([
      actions("--since", "1h", "--kind", "rest,inbound"),
      actions("--until", "1h"),
      actions("--correlation-id", "c-new", "--limit", "1"),
    ]);
    expect(recent).toEqual(["profile", "POST /b24/app", "POST /b24/placement/deal-tab"]);
    expect(older).toEqual(["crm.deal.list"]);
    expect(oneRequest).toEqual(["POST /b24/placement/deal-tab"]);
  });

  it("prints a table, with the tenant column across tenants", async () => {
    const r = await b24kit("logs", "--database", database, "--since", "1h");
    expect(r.status).toBe(0);
    const [header, ...rows] = r.stdout.trimEnd().split("\n");
    expect(header!.split(/\s{2,}/)).toEqual([
      "TIME",
      "MEMBER",
      "KIND",
      "ACTION",
      "OUTCOME",
      "DURATION",
      "DETAIL",
      "CORRELATION",
    ]);
    expect(rows).toHaveLength(5);
    const rejected = rows.find((row) => row.includes("POST /b24/placement/deal-tab"))!;
    expect(rejected).toMatch(
      /inbound\s+POST \/b24\/placement\/deal-tab\s+rejected\s+2 ms\s+status=403 error=AUTH_ID_REJECTED surface=placement\s+c-new$/,
    );
    expect(rows.some((row) => row.includes(M2) && row.includes("user.current"))).toBe(true);
    expect(r.stdout).not.toMatch(/should-never-print/);
  });

  it("fails with a message that says what to do", async () => {
    const [badKind, noDatabase, empty] = await Promise.all([
      b24kit("logs", "--database", database, "--kind", "rest,nope"),
      b24kit("logs"),
      b24kit("logs", "--database", `sqlite:${join(dir, "never-migrated.db")}`),
    ]);
    expect(badKind.status).toBe(1);
    expect(badKind.stderr).toContain("--kind: unknown nope");
    expect(noDatabase.status).toBe(1);
    expect(noDatabase.stderr).toContain("no database");
    expect(empty.status).toBe(1);
    expect(empty.stderr).toContain("run `b24kit migrate` first");
  });
});

describe("parseTimeBound and formatAuditTable", () => {
  const now = Date.UTC(2026, 10, 30, 12, 0, 0);

  it("reads durations back from now and ISO times, and refuses the rest", () => {
    expect(parseTimeBound("90s", now)).toBe(now - 90_000);
    expect(parseTimeBound("15m", now)).toBe(now - 15 * MIN);
    expect(parseTimeBound("1h", now)).toBe(now - 60 * MIN);
    expect(parseTimeBound("7d", now)).toBe(now - 7 * 86_400_000);
    expect(parseTimeBound("2026-11-30T08:00:00Z", now)).toBe(Date.UTC(2026, 10, 30, 8));
    expect(parseTimeBound("2026-11-29", now)).toBe(Date.UTC(2026, 10, 29));
    for (const bad of ["yesterday", "10", "1y", "2026-13-45"])
      expect(() => parseTimeBound(bad, now)).toThrow(/not a time/);
  });

  it("strips control characters an outsider could have put into a row", () => {
    const entry: StoredAuditEntry = {
      id: 1,
      memberId: M1,
      at: now,
      kind: "inbound",
      correlationId: "c-1",
      action: "POST /\u001b[2Jcleared",
      outcome: "ok",
      detail: { surface: "event", reason: "line\nbreak" },
    };
    const table = formatAuditTable([entry]);
    expect(table.includes("\u001b")).toBe(false);
    expect(table.split("\n")).toHaveLength(2); // the header and one row: the newline did not split it
    expect(table).toContain("POST / [2Jcleared");
    expect(table.split("\n")[1]).toMatch(/^2026-11-30 12:00:00\.000Z\s+inbound/);
  });
});
