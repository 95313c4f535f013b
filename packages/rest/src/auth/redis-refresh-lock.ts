import { B24Error } from "../errors/b24-error.js";
import type { RefreshLock } from "./refresh-lock.js";

/** Minimal Redis surface (ioredis and node-redis style clients fit). */
export interface RedisLike {
  set(key: string, value: string, px: "PX", ttlMs: number, nx: "NX"): Promise<unknown>;
  eval(script: string, numKeys: number, ...args: Array<string | number>): Promise<unknown>;
}

const RELEASE =
  "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end";

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** `SET key token NX PX ttl` + compare-and-delete: one holder at a time, released only by its owner. */
export function redisRefreshLock(
  redis: RedisLike,
  options: { pollMs?: number; waitMs?: number } = {},
): RefreshLock {
  const pollMs = options.pollMs ?? 25;
  return {
    async withLock(key, ttlMs, fn) {
      const owner = `${Date.now()}-${Math.random().toString(36).slice(2)}`;
      const deadline = Date.now() + (options.waitMs ?? ttlMs * 2);
      while ((await redis.set(key, owner, "PX", ttlMs, "NX")) !== "OK") {
        if (Date.now() > deadline) {
          throw new B24Error({
            code: "REFRESH_LOCK_TIMEOUT",
            status: 0,
            description: `waited ${options.waitMs ?? ttlMs * 2} ms for the refresh lock ${key}`,
          });
        }
        await sleep(pollMs);
      }
      try {
        return await fn();
      } finally {
        await redis.eval(RELEASE, 1, key, owner).catch(() => {});
      }
    },
  };
}
