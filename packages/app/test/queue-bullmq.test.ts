import { bullmqJobQueue } from "@b24kit/app/bullmq";
import { describeJobQueue } from "@b24kit/app/testing";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";

const redisUrl = process.env.B24KIT_REDIS_URL ?? "redis://127.0.0.1:6379";
// One prefix per run so that parallel runs never share keys; every key is removed afterwards.
const prefix = `b24kit-test-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
const admin = new Redis(redisUrl);
admin.on("error", () => {});
let queues = 0;

afterAll(async () => {
  const keys = await admin.keys(`${prefix}:*`);
  if (keys.length) await admin.del(...keys);
  admin.disconnect();
});

describeJobQueue(
  "BullMQ (Redis)",
  async (policy) => {
    const name = `q${++queues}`;
    // A short lock so that the at-least-once check sees the abandoned job again within seconds.
    const open = () => bullmqJobQueue({ connection: redisUrl, prefix, name, policy, lockDurationMs: 3000 });
    return { queue: open(), reopen: async () => open() };
  },
  { describe, it },
  { redeliveryMs: 20_000 },
);

describe("bullmqJobQueue", () => {
  it("keeps every key under its prefix and queue name", async () => {
    const queue = bullmqJobQueue({ connection: redisUrl, prefix, name: "keys" });
    await queue.enqueue({ memberId: "m", id: "one", kind: "k", payload: null });
    const keys = await admin.keys(`${prefix}:keys:*`);
    expect(keys).toContain(`${prefix}:keys:m/one`);
    expect(keys).toContain(`${prefix}:keys:b24kit-backlog:m`);
    await queue.close();
  });

  it("accepts ioredis options instead of a URL", async () => {
    const { hostname, port } = new URL(redisUrl);
    const queue = bullmqJobQueue({ connection: { host: hostname, port: Number(port || 6379) }, prefix });
    await queue.ping();
    await queue.close();
  });

  it("ping rejects within seconds when Redis cannot be reached, and nothing is left unhandled", async () => {
    const errors: Error[] = [];
    const queue = bullmqJobQueue({
      connection: "redis://127.0.0.1:1",
      prefix,
      onError: (error) => errors.push(error),
    });
    const started = Date.now();
    await expect(queue.ping()).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(errors.length).toBeGreaterThan(0);
    await queue.close();
  });

  it("a closed queue refuses work", async () => {
    const queue = bullmqJobQueue({ connection: redisUrl, prefix, name: "closed" });
    await queue.close();
    await queue.close();
    await expect(queue.enqueue({ memberId: "m", id: "x", kind: "k", payload: 1 })).rejects.toThrow(/closed/);
    expect(() => queue.consume(async () => undefined)).toThrow(/closed/);
  });
});
