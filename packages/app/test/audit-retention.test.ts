import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type AppStore, AuditLog, pruneAuditLog, startAuditRetention } from "@b24kit/app";
import { sqliteStore } from "@b24kit/app/sqlite";
import { FakeClock } from "@b24kit/rest/testing";
import { afterAll, beforeEach, describe, expect, it } from "vitest";

const dir = mkdtempSync(join(tmpdir(), "b24kit-audit-retention-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 10, 30, 8, 0, 0);
const M1 = "a1b2c3d4e5f60718293a4b5c6d7e8f90";
const M2 = "f0e1d2c3b4a5968778695a4b3c2d1e0f";

let store: AppStore;
let n = 0;
beforeEach(async () => {
  store = sqliteStore({ file: join(dir, `retention-${++n}.db`) });
  await store.migrate();
  return () => store.close();
});

/** Rows of both tenants at the given ages (days before `now`). */
async function seed(now: number, ages: number[]) {
  const audit = new AuditLog(store);
  for (const age of ages) {
    for (const member of [M1, M2]) {
      await audit.record(member, { kind: "rest", action: `age-${age}`, outcome: "ok", at: now - age * DAY });
    }
  }
}

const remaining = async () =>
  (await store.admin.audit()).map((r) => `${r.memberId.slice(0, 2)}:${r.action}`).sort();

describe("pruneAuditLog", () => {
  it("deletes every tenant's rows older than the retention, keeping the rest", async () => {
    await seed(T0, [0, 29, 30.5, 45]);
    const deleted = await pruneAuditLog(store, { retentionDays: 30, clock: new FakeClock(T0) });
    expect(deleted).toBe(4);
    expect(await remaining()).toEqual(["a1:age-0", "a1:age-29", "f0:age-0", "f0:age-29"]);
  });

  it("refuses a retention that is not a positive number of days", async () => {
    await expect(async () => pruneAuditLog(store, { retentionDays: 0 })).rejects.toThrow(
      /positive number of days/,
    );
    expect(() => startAuditRetention(store, { retentionDays: Number.NaN })).toThrow(
      /positive number of days/,
    );
  });
});

describe("startAuditRetention", () => {
  it("prunes on start and then once a day until stopped", async () => {
    const clock = new FakeClock(T0);
    await seed(T0, [1, 6.5, 8]);
    const results: Array<{ deleted: number } | { error: unknown }> = [];
    const retention = startAuditRetention(store, {
      retentionDays: 7,
      clock,
      onPruned: (r) => results.push(r),
    });
    await clock.advance(0);
    await waitUntil(() => results.length === 1);
    expect(results).toEqual([{ deleted: 2 }]); // the 8-day-old rows, at start
    expect(await remaining()).toEqual(["a1:age-1", "a1:age-6.5", "f0:age-1", "f0:age-6.5"]);

    await clock.advance(DAY - 1);
    expect(results).toHaveLength(1); // not before the day is over
    await clock.advance(1);
    await waitUntil(() => results.length === 2);
    expect(results[1]).toEqual({ deleted: 2 }); // the 6.5-day-old rows are now 7.5 days old
    expect(await remaining()).toEqual(["a1:age-1", "f0:age-1"]);

    await retention.stop();
    await clock.advance(30 * DAY);
    expect(results).toHaveLength(2);
    expect(clock.pending).toBe(0);
  });

  it("keeps its schedule when a prune fails, and tries again at the next interval", async () => {
    const clock = new FakeClock(T0);
    const broken = sqliteStore({ file: join(dir, `broken-${++n}.db`) });
    await broken.migrate();
    await broken.admin.audit();
    await broken.close();
    const results: Array<{ deleted: number } | { error: unknown }> = [];
    const retention = startAuditRetention(broken, {
      retentionDays: 7,
      clock,
      intervalMs: 60_000,
      onPruned: (r) => results.push(r),
    });
    await waitUntil(() => results.length === 1);
    await clock.advance(60_000);
    await waitUntil(() => results.length === 2);
    expect(results.every((r) => "error" in r)).toBe(true);
    await retention.stop();
  });

  it("does not keep the process alive with the real clock", { timeout: 60_000 }, async () => {
    // A child process starts retention and reaches its end: it exits on its own only if the daily timer is unref'd.
    const script = fileURLToPath(new URL("./fixtures/retention-exit.ts", import.meta.url));
    const child = spawn(process.execPath, ["--conditions=source", "--import", "tsx", script], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
    });
    const killer = setTimeout(() => child.kill("SIGKILL"), 45_000);
    const code = await new Promise<number | null>((resolve) => child.on("exit", (c) => resolve(c)));
    clearTimeout(killer);
    expect(out.trim()).toBe("pruned");
    expect(code).toBe(0);
  });
});

/** Polls (real time, generous) until `check` holds: prunes run on real database I/O. */
async function waitUntil(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 5));
  }
}
