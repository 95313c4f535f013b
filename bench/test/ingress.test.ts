import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const script = fileURLToPath(new URL("../ingress.ts", import.meta.url));

// Keeps the benchmark runnable with its three servers and every column; the latencies it measures
// are the benchmark's result, not asserted here (2-second runs on a busy machine say little).
describe("bench/ingress", () => {
  it("loads the baseline, embedded and cluster servers and ends with its JSON line", {
    timeout: 120_000,
  }, () => {
    const r = spawnSync(
      process.execPath,
      ["--conditions=source", "--import", "tsx", script, "--rate", "100", "--seconds", "2", "--warmup", "1"],
      { encoding: "utf8" },
    );
    expect(r.status, r.stderr).toBe(0);
    const last = JSON.parse(r.stdout.trim().split("\n").at(-1)!);
    expect(last).toMatchObject({ bench: "ingress", rate: 100, seconds: 2 });
    expect(Object.keys(last.results)).toEqual(["baseline", "embedded", "cluster"]);
    for (const [target, cell] of Object.entries(last.results) as Array<[string, Record<string, unknown>]>) {
      for (const figure of ["rps", "p50Ms", "p99Ms"])
        expect(cell[figure], `${target}.${figure}`).toBeGreaterThan(0);
      expect(cell.errors, target).toBe(0);
      if (target !== "baseline") expect(cell.p99Ratio, target).toBeGreaterThan(0);
    }
    expect(typeof last.results.embedded.meetsTarget).toBe("boolean");
  });
});
