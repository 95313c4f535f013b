import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { EmulatorHandle } from "@b24kit/emulator";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RedisTokenStore } from "./fixtures/redis-token-store.js";
import { control, installApp, startTestEmulator, stats, tokensFrom } from "./helpers.js";

const worker = fileURLToPath(new URL("./fixtures/load-worker.ts", import.meta.url));
const redisUrl = process.env.B24KIT_REDIS_URL ?? "redis://127.0.0.1:6379";

function runWorker(job: Record<string, unknown>): Promise<any> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--conditions=source", "--import", "tsx", worker], {
      env: { ...process.env, B24KIT_WORKER: JSON.stringify(job) },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
    });
    child.on("exit", (code) =>
      code === 0
        ? resolve(JSON.parse(out.trim().split("\n").at(-1)!))
        : reject(new Error(`worker exited ${code}`)),
    );
  });
}

describe("several processes share one portal", () => {
  let emu: EmulatorHandle;
  let redis: Redis;
  const prefix = `b24kit:test:${process.pid}:${Date.now()}:`;

  beforeAll(async () => {
    emu = await startTestEmulator();
    redis = new Redis(redisUrl);
    redis.on("error", () => {});
  });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    await emu.close();
  });

  it("3 processes × 20 callers for 30 s on a standard plan: no QUERY_LIMIT_EXCEEDED, ≥95 % of the allowed rate", {
    timeout: 60_000,
  }, async () => {
    const portal = await control(emu, "POST", "portals", { plan: "standard" });
    const goAt = Date.now() + 2500;
    const deadline = goAt + 30_000;
    const job = {
      mode: "rate",
      redisUrl,
      prefix,
      concurrency: 20,
      goAt,
      deadline,
      webhookUrl: portal.adminWebhookUrl,
    };
    const results = await Promise.all([runWorker(job), runWorker(job), runWorker(job)]);
    const s = await stats(emu, portal.memberId);
    const ok = results.reduce((n, r) => n + r.ok, 0);
    const firstSend = Math.min(...results.map((r) => r.firstSend));
    const allowed = 50 + 2 * ((deadline - firstSend) / 1000);
    console.log(
      `rate: ${ok} calls in ${((deadline - firstSend) / 1000).toFixed(1)} s, allowed ${allowed.toFixed(1)} → ${((ok / allowed) * 100).toFixed(1)} %`,
    );
    expect(s.errors.QUERY_LIMIT_EXCEEDED).toBeUndefined();
    expect(results.every((r) => Object.keys(r.errors).length === 0)).toBe(true);
    expect(ok / allowed).toBeGreaterThanOrEqual(0.95);
    expect(ok).toBeLessThanOrEqual(allowed);
  });

  it("an expired token under 100 concurrent calls in 3 processes: exactly one refresh, no failed call", {
    timeout: 30_000,
  }, async () => {
    const portal = await control(emu, "POST", "portals", {});
    await control(emu, "PATCH", `portals/${portal.memberId}`, {
      bucket: { burst: 10_000, drainPerSecond: 1000 },
    });
    const app = await installApp(emu, portal.memberId);
    const store = new RedisTokenStore(redis, `${prefix}tokens`);
    await store.save(tokensFrom(app.auth), 0);
    await control(emu, "POST", "clock", { advanceSeconds: 3700 });
    const before = (await control(emu, "GET", "oauth/stats")).byGrant.refresh_token ?? 0;
    const goAt = Date.now() + 2500;
    const base = {
      mode: "refresh",
      redisUrl,
      prefix,
      goAt,
      memberId: portal.memberId,
      clientId: app.clientId,
      clientSecret: app.clientSecret,
    };
    const results = await Promise.all([
      runWorker({ ...base, calls: 34 }),
      runWorker({ ...base, calls: 33 }),
      runWorker({ ...base, calls: 33 }),
    ]);
    const refreshes = ((await control(emu, "GET", "oauth/stats")).byGrant.refresh_token ?? 0) - before;
    expect(results.flatMap((r) => r.failed)).toEqual([]);
    expect(results.reduce((n, r) => n + r.ok, 0)).toBe(100);
    expect(refreshes).toBe(1);
    expect((await store.load())!.version).toBe(2);
    expect((await stats(emu, portal.memberId)).errors.expired_token).toBeGreaterThanOrEqual(3);
  });
});
