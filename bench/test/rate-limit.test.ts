import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const script = fileURLToPath(new URL("../rate-limit.ts", import.meta.url));

// Keeps the benchmark runnable with every cell and column; the rates it measures are the
// benchmark's result, not asserted here (3-second cells on a busy machine say little).
describe("bench/rate-limit", () => {
  it("runs the sweep and the four target cells and ends with its JSON line", { timeout: 180_000 }, () => {
    const r = spawnSync(
      process.execPath,
      ["--conditions=source", "--import", "tsx", script, "--seconds", "3", "--sweep", "1000"],
      { encoding: "utf8" },
    );
    expect(r.status, r.stderr).toBe(0);
    const last = JSON.parse(r.stdout.trim().split("\n").at(-1)!);
    expect(last).toMatchObject({ bench: "rate-limit", seconds: 3 });
    expect(last.sweep.map((c: { jitterAllowanceMs: number }) => c.jitterAllowanceMs)).toEqual([1000]);
    expect(Object.keys(last.targets)).toEqual([
      "in-process bucket, 1 process",
      "in-process bucket, 1 process, stalled",
      "Redis bucket, 3 processes",
      "Redis bucket, 3 processes, stalled",
    ]);
    for (const cell of [...last.sweep, ...Object.values(last.targets)] as Array<Record<string, number>>) {
      expect(cell.ok).toBeGreaterThan(0);
      expect(cell.ok).toBeLessThanOrEqual(cell.allowed!);
    }
  });
});
