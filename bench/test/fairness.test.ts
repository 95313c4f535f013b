import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const script = fileURLToPath(new URL("../fairness.ts", import.meta.url));

// Keeps the benchmark runnable on both profiles with every column; whether B's latency stays within
// 2× under the flood is the benchmark's result, not asserted here (a small flood on a busy machine says little).
describe("bench/fairness", () => {
  it("floods portal A, times portal B on both profiles and ends with its JSON line", {
    timeout: 120_000,
  }, () => {
    const r = spawnSync(
      process.execPath,
      ["--conditions=source", "--import", "tsx", script, "--flood", "2000", "--unloaded-seconds", "2"],
      { encoding: "utf8" },
    );
    expect(r.status, r.stderr).toBe(0);
    const last = JSON.parse(r.stdout.trim().split("\n").at(-1)!);
    expect(last).toMatchObject({ bench: "fairness", flood: 2000 });
    expect(Object.keys(last.results)).toEqual(["embedded", "cluster"]);
    for (const [profile, cell] of Object.entries(last.results) as Array<[string, Record<string, unknown>]>) {
      for (const figure of ["unloadedP50Ms", "unloadedP99Ms", "loadedP50Ms", "loadedP99Ms", "ratio"])
        expect(cell[figure], `${profile}.${figure}`).toBeGreaterThan(0);
      expect(cell.loadedSamples, profile).toBeGreaterThan(0);
    }
  });
});
