import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const script = fileURLToPath(new URL("../bulk-read.ts", import.meta.url));

// Keeps the benchmark runnable: a small run must end with its JSON line, the request counts that
// define its result, and what each method loses while the portal changes under it (timings are
// for the benchmark itself, never asserted here).
describe("bench/bulk-read", () => {
  it("reads 3,000 deals four ways, still and while 10 % change, and reports every column", {
    timeout: 180_000,
  }, () => {
    const r = spawnSync(
      process.execPath,
      ["--conditions=source", "--import", "tsx", script, "--rows", "3000"],
      { encoding: "utf8" },
    );
    expect(r.status, r.stderr).toBe(0);
    const last = JSON.parse(r.stdout.trim().split("\n").at(-1)!);
    expect(last).toMatchObject({ bench: "bulk-read", rows: 3000, limit: 2 });
    const { fastList, b24jssdk, batchedOffset, offsetLoop } = last.results;
    expect([fastList.requests, batchedOffset.requests, b24jssdk.requests, offsetLoop.requests]).toEqual([
      2, 2, 61, 60,
    ]);
    // Keyset readers lose nothing; offset pages skip the rows that deletions shift past them.
    expect([fastList.missed, fastList.duplicated, b24jssdk.missed, b24jssdk.duplicated]).toEqual([
      0, 0, 0, 0,
    ]);
    expect(batchedOffset.missed).toBeGreaterThan(0);
    expect(offsetLoop.missed).toBeGreaterThan(0);
    // Keyset pages examine what they return (fastList adds one COUNT); offset pages re-walk the table.
    expect(b24jssdk.scanned).toBe(3000);
    expect(fastList.scanned).toBe(6000);
    expect(offsetLoop.scanned).toBeGreaterThan(30 * fastList.scanned);
    expect(batchedOffset.scanned).toBe(offsetLoop.scanned);
  });
});
