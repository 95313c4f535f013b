import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const script = fileURLToPath(new URL("../bulk-read.ts", import.meta.url));

// Keeps the benchmark runnable: a small run must end with its JSON line and the request counts
// that define its result (timings are for the benchmark itself, never asserted here).
describe("bench/bulk-read", () => {
  it("reads 3,000 deals three ways and reports request counts", { timeout: 120_000 }, () => {
    const r = spawnSync(
      process.execPath,
      ["--conditions=source", "--import", "tsx", script, "--rows", "3000"],
      { encoding: "utf8" },
    );
    expect(r.status, r.stderr).toBe(0);
    const last = JSON.parse(r.stdout.trim().split("\n").at(-1)!);
    expect(last).toMatchObject({ bench: "bulk-read", rows: 3000, limit: 2 });
    expect(last.results.fastList.requests).toBe(2);
    expect(last.results.naive.requests).toBe(60);
    expect(last.results.b24jssdk.requests).toBe(61);
  });
});
