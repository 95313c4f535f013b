import type { EmulatorHandle } from "@b24kit/emulator";
import { control, installApp, testEmulator } from "@b24kit/emulator/testing";
import { tokensFromAuth } from "@b24kit/rest";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RateJob } from "./fixtures/load-worker.js";
import { RedisTokenStore } from "./fixtures/redis-token-store.js";
import { allowedRequests, runWorker } from "./fixtures/run-worker.js";

const redisUrl = process.env.B24KIT_REDIS_URL ?? "redis://127.0.0.1:6379";

// Real processes, real time, real Redis: these prove the real clock and the shared store are wired.
// Timing logic itself is tested on the fake clock (test/pipeline); precise rates are bench/rate-limit's.
describe("several processes share one portal", () => {
  let emu: EmulatorHandle;
  let redis: Redis;
  const prefix = `b24kit:test:${process.pid}:${Date.now()}:`;

  beforeAll(async () => {
    emu = await testEmulator();
    redis = new Redis(redisUrl);
    redis.on("error", () => {});
  });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    await emu.close();
  });

  async function portalWithBucket(burst: number, drainPerSecond: number): Promise<any> {
    const portal = await control(emu).createPortal({ plan: "standard" });
    await control(emu).updatePortal(portal.memberId, { bucket: { burst, drainPerSecond } });
    return portal;
  }

  function rateJob(portal: any, seconds: number, extra: Partial<RateJob>): RateJob {
    const goAt = Date.now() + 2500;
    return {
      mode: "rate",
      redisUrl,
      prefix: `${prefix}${portal.memberId}:`,
      concurrency: 20,
      goAt,
      deadline: goAt + seconds * 1000,
      webhookUrl: portal.adminWebhookUrl,
      ...extra,
    };
  }

  it("3 processes × 20 callers on a standard plan through one Redis bucket: no QUERY_LIMIT_EXCEEDED", {
    timeout: 60_000,
  }, async () => {
    const portal = await portalWithBucket(50, 2);
    const job = rateJob(portal, 20, { store: "redis" });
    const results = await Promise.all([runWorker(job), runWorker(job), runWorker(job)]);
    const s = await control(emu).stats(portal.memberId);
    const ok = results.reduce((n, r) => n + r.ok, 0);
    const allowed = allowedRequests(50, 2, Math.min(...results.map((r) => r.firstSend)), job.deadline);
    expect(s.errors.QUERY_LIMIT_EXCEEDED).toBeUndefined();
    expect(results.map((r) => r.errors)).toEqual([{}, {}, {}]);
    expect(ok).toBeLessThanOrEqual(allowed);
    // Wide margin for a loaded machine; bench/rate-limit measures the real fraction (≥ 95 %).
    expect(ok / allowed).toBeGreaterThanOrEqual(0.8);
  });

  // With the old margin (one request, no jitter allowance) both runs saw 2–3 refusals.
  it.each([
    ["in-process bucket, one process", "memory", 1],
    ["Redis bucket, two processes", "redis", 2],
  ] as const)(
    "a stalled event loop (busy 150–300 ms between sends) still gets no refusal: %s",
    {
      timeout: 60_000,
    },
    async (_name, store, processes) => {
      const portal = await portalWithBucket(20, 5);
      const job = rateJob(portal, 10, {
        store,
        // The stalls (≤ 300 ms) are well inside the allowance; the rest of it covers the scheduling
        // delays of a 2-core CI machine running other test processes (1 s was overrun there once).
        limits: { burst: 20, drainPerSecond: 5, jitterAllowanceMs: 2000 },
        stallMs: [150, 300],
      });
      const results = await Promise.all(Array.from({ length: processes }, () => runWorker(job)));
      const s = await control(emu).stats(portal.memberId);
      expect(results.every((r) => r.longestStallMs >= 150)).toBe(true);
      // One process: no refusal. Two processes sharing a Redis bucket on a busy 2-core CI machine: at most
      // one (seen: 1 in some CI runs, none when run alone); the old margin refused 2–3 times in every run,
      // so this still tells a regression from a hiccup. Refusals are retried: every caller ends without error.
      expect(s.errors.QUERY_LIMIT_EXCEEDED ?? 0).toBeLessThanOrEqual(processes - 1);
      expect(results.map((r) => r.errors)).toEqual(results.map(() => ({})));
      expect(results.reduce((n, r) => n + r.ok, 0)).toBeGreaterThan(20);
    },
  );

  it("an expired token under 100 concurrent calls in 3 processes: exactly one refresh, no failed call", {
    timeout: 30_000,
  }, async () => {
    const portal = await control(emu).createPortal({});
    await control(emu).updatePortal(portal.memberId, {
      bucket: { burst: 10_000, drainPerSecond: 1000 },
    });
    const app = await installApp(emu, portal.memberId);
    const store = new RedisTokenStore(redis, `${prefix}tokens`);
    await store.save(tokensFromAuth(app.auth), 0);
    await control(emu).advanceClock(3700);
    const before = (await control(emu).request<any>("GET", "oauth/stats")).byGrant.refresh_token ?? 0;
    const base = {
      mode: "refresh" as const,
      redisUrl,
      prefix,
      goAt: Date.now() + 2500,
      memberId: portal.memberId,
      clientId: app.clientId,
      clientSecret: app.clientSecret,
    };
    const results = await Promise.all([
      runWorker({ ...base, calls: 34 }),
      runWorker({ ...base, calls: 33 }),
      runWorker({ ...base, calls: 33 }),
    ]);
    const refreshes =
      ((await control(emu).request<any>("GET", "oauth/stats")).byGrant.refresh_token ?? 0) - before;
    expect(results.flatMap((r) => r.failed)).toEqual([]);
    expect(results.reduce((n, r) => n + r.ok, 0)).toBe(100);
    expect(refreshes).toBe(1);
    expect((await store.load())!.version).toBe(2);
    expect((await control(emu).stats(portal.memberId)).errors.expired_token).toBeGreaterThanOrEqual(3);
  });
});
