import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { bin } from "./helpers.js";

// `b24kit worker` refuses what it cannot run with a message that says why; running workers
// for real (SIGKILL, two processes) is packages/app/test/events-cluster.test.ts.
const run = (...args: string[]) =>
  spawnSync(process.execPath, [bin, "worker", ...args], { encoding: "utf8" });

describe("b24kit worker", () => {
  it("needs --app", () => {
    const r = run();
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain("--app");
  });

  it("says when the module cannot be loaded", () => {
    const r = run("--app", "no/such/app.mjs");
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("cannot load the app module no/such/app.mjs");
  });

  it("says when the module exports no app", () => {
    const module = fileURLToPath(new URL("./fixtures/not-an-app.mjs", import.meta.url));
    const r = run("--app", module);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("exports no app");
  });

  it("refuses a concurrency that is not a whole number from 1", () => {
    const r = run("--app", "x.mjs", "--concurrency", "0");
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("--concurrency must be a whole number from 1 to 1000");
  });
});
