import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { VERSION } from "../src/index.js";
import { bin } from "./helpers.js";

// Runs the committed bin exactly as `npx b24kit` does (npm test builds first).
describe("b24kit bin", () => {
  it("prints its version", () => {
    const r = spawnSync(process.execPath, [bin, "--version"], { encoding: "utf8" });
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(VERSION);
  });

  it("rejects an unknown command with a non-zero exit", () => {
    const r = spawnSync(process.execPath, [bin, "no-such-command"], { encoding: "utf8" });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain("unknown command");
  });
});
