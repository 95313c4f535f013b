import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { control, type PortalInfo, testEmulator, testPortal } from "@b24kit/emulator/testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { b24kitCall, webhookCode } from "./call-helpers.js";

// `b24kit call METHOD --all`: every row of a seeded portal as JSON lines, by ID cursor
// (2,500 rows a request), with progress on stderr, against a real emulator over HTTPS.

const DEALS = 1234;
const emu = await testEmulator();
const dir = mkdtempSync(join(tmpdir(), "b24kit-call-"));
let portal: PortalInfo;
let hook: string;

beforeAll(async () => {
  portal = await testPortal(emu);
  hook = portal.adminWebhookUrl;
  await control(emu).seed(portal.memberId, { deals: DEALS });
});
beforeEach(() => control(emu).resetStats(portal.memberId));
afterAll(async () => {
  await emu.close();
  rmSync(dir, { recursive: true, force: true });
});

function jsonLines(path: string): Array<Record<string, unknown>> {
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line));
}

/** Every deal id on the portal, read page by page straight from the REST endpoint. */
async function allDealIds(): Promise<string[]> {
  const ids: string[] = [];
  for (let start: number | undefined = 0; start !== undefined; ) {
    const res = await fetch(`${hook}crm.deal.list`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ select: ["ID"], start }),
    });
    const page = (await res.json()) as { result: Array<{ ID: string }>; next?: number };
    ids.push(...page.result.map((r) => r.ID));
    start = page.next;
  }
  return ids;
}

describe("b24kit call --all", () => {
  it("writes every row once to --out, reports progress lines, and spends the ideal number of requests", async () => {
    const out = join(dir, "deals.jsonl");
    const run = await b24kitCall([
      "crm.deal.list",
      "--all",
      "--out",
      out,
      "--webhook",
      hook,
      "--progress-every",
      "0",
    ]);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe("");
    const rows = jsonLines(out);
    expect(rows).toHaveLength(DEALS);

    // Not a terminal: plain progress lines (rows of the total, rate, ETA), then one summary line.
    const lines = run.stderr.trim().split("\n");
    expect(lines[0]).toMatch(/^progress: 1\/1,234 rows \(0%\), [\d,]+ rows\/s, ETA [\d:?]+/);
    expect(lines.at(-2)).toMatch(/^progress: 1,234\/1,234 rows \(100%\)/);
    expect(lines.at(-1)).toMatch(
      new RegExp(`^crm\\.deal\\.list: 1,234 rows in [\\d.]+ s \\([\\d,]+ rows/s\\) via fastList, to ${out}$`),
    );
    expect(run.stderr).not.toContain(webhookCode(hook));

    // One request for the total (for the progress), then 2,500 rows a request.
    const stats = await control(emu).stats(portal.memberId);
    expect(stats.total).toBe(1 + Math.ceil(DEALS / 2500));
    expect(stats.byMethod.batch).toBe(Math.ceil(DEALS / 2500));

    const ids = rows.map((r) => String(r.ID));
    expect(new Set(ids).size).toBe(DEALS);
    expect([...ids].sort()).toEqual((await allDealIds()).sort());
  });

  it("--quiet: no progress, no extra request for the total, rows on stdout", async () => {
    const run = await b24kitCall([
      "crm.deal.list",
      "--all",
      "--quiet",
      "select[]=ID",
      "select[]=TITLE",
      "--webhook",
      hook,
    ]);
    expect(run.status).toBe(0);
    expect(run.stderr).toBe("");
    const rows = run.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(rows).toHaveLength(DEALS);
    expect(Object.keys(rows[0]).sort()).toEqual(["ID", "TITLE"]);
    expect(new Set(rows.map((r) => r.ID)).size).toBe(DEALS);
    const stats = await control(emu).stats(portal.memberId);
    expect(stats.total).toBe(Math.ceil(DEALS / 2500));
  });

  it("keeps the caller's filter", async () => {
    const out = join(dir, "some.jsonl");
    const run = await b24kitCall([
      "crm.deal.list",
      "--all",
      "--quiet",
      "--out",
      out,
      "filter[<=ID]=100",
      "--webhook",
      hook,
    ]);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const ids = jsonLines(out).map((r) => Number(r.ID));
    expect(ids.every((id) => id <= 100)).toBe(true);
    expect(ids.length).toBe((await allDealIds()).filter((id) => Number(id) <= 100).length);
  });

  it("orders by something other than ID with offset pages (list), every row still there", async () => {
    const out = join(dir, "by-title.jsonl");
    const run = await b24kitCall([
      "crm.deal.list",
      "--all",
      "--out",
      out,
      "order[TITLE]=ASC",
      "select[]=ID",
      "--webhook",
      hook,
    ]);
    expect(run.status).toBe(0);
    expect(run.stderr).toContain("via list,");
    expect(new Set(jsonLines(out).map((r) => r.ID)).size).toBe(DEALS);
  });

  it("on failure exits non-zero, says how many rows it kept, and keeps them", async () => {
    const seeded = join(dir, "partial.jsonl");
    const more = await testPortal(emu);
    await control(emu).seed(more.memberId, { deals: 3000 });
    // The first 50 pages (one batch, 2,500 rows) go through; every page after them is refused.
    await control(emu).fault(more.memberId, { method: "crm.deal.list", count: 50, latencyMs: 1 });
    await control(emu).fault(more.memberId, {
      method: "crm.deal.list",
      count: 1000,
      status: 403,
      error: "ACCESS_DENIED",
      description: "Access denied.",
    });
    const run = await b24kitCall([
      "crm.deal.list",
      "--all",
      "--quiet",
      "--out",
      seeded,
      "--webhook",
      more.adminWebhookUrl,
    ]);
    expect(run.status).not.toBe(0);
    const lines = run.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^b24kit: crm\.deal\.list --all failed after 2,500 rows \(kept in .*partial\.jsonl\): /,
    );
    expect(lines[0]).toContain("ACCESS_DENIED");
    expect(lines[0]).not.toContain(webhookCode(more.adminWebhookUrl));
    const rows = jsonLines(seeded);
    expect(rows).toHaveLength(2500);
    expect(new Set(rows.map((r) => r.ID)).size).toBe(2500);
  });
});
