import { localRefreshLock, MemoryBucketStore, MemoryTokenStore } from "@b24kit/rest";
import { RedisBucketStore, redisRefreshLock } from "@b24kit/rest/redis";
import { describeBucketStore, describeRefreshLock, describeTokenStore } from "@b24kit/rest/testing";
import { Redis } from "ioredis";
import { afterAll, describe, it } from "vitest";
import { RedisTokenStore } from "./fixtures/redis-token-store.js";

const redisUrl = process.env.B24KIT_REDIS_URL ?? "redis://127.0.0.1:6379";
const prefix = `b24kit:conformance:${process.pid}:${Date.now()}:`;
const redis = new Redis(redisUrl);
redis.on("error", () => {});
let seq = 0;

afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
});

const t = { describe, it };

describeTokenStore("memory", () => new MemoryTokenStore(), t);
describeTokenStore(
  "Redis (the multi-process tests' store)",
  () => new RedisTokenStore(redis, `${prefix}tokens:${seq++}`),
  t,
);
describeBucketStore("memory", () => new MemoryBucketStore(), t);
describeBucketStore("Redis", () => new RedisBucketStore(redis, `${prefix}bucket:`), t);
describeRefreshLock("in-process", () => localRefreshLock(), t);
describeRefreshLock("Redis", () => redisRefreshLock(redis), t);
