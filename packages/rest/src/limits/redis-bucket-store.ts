import type { BucketStore } from "./bucket-store.js";

/** Minimal Redis surface for scripts (ioredis' `eval` fits). */
export interface RedisEval {
  eval(script: string, numKeys: number, ...args: Array<string | number>): Promise<unknown>;
}

// One atomic script per operation; the Redis server's clock is the only clock,
// so processes on different machines agree on the schedule (the GCRA of bucket-store.ts).
const SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local burst = tonumber(ARGV[1])
local interval = 1000 / tonumber(ARGV[2])
local stored = redis.call('GET', KEYS[1])
local tat = tonumber(stored or now)
if tat < now then tat = now end
local wait = 0
if ARGV[3] == 'fill' then
  local full = now + burst * interval
  if full > tat then tat = full end
elseif ARGV[3] == 'release' then
  if not stored then return 0 end
  tat = tat - interval
  if tat <= now then
    redis.call('DEL', KEYS[1])
    return 0
  end
else
  local tolerance = (burst - 1) * interval
  if tolerance < 0 then tolerance = 0 end
  wait = tat - tolerance - now
  if wait < 0 then wait = 0 end
  tat = tat + interval
end
redis.call('SET', KEYS[1], tostring(tat), 'PX', math.ceil(tat - now) + 60000)
return tostring(wait)
`;

/** Many processes (and machines) share one bucket per portal. */
export class RedisBucketStore implements BucketStore {
  constructor(
    private readonly redis: RedisEval,
    private readonly prefix = "b24kit:bucket:",
  ) {}

  async reserve(key: string, burst: number, perSecond: number): Promise<number> {
    return Math.ceil(
      Number(await this.redis.eval(SCRIPT, 1, this.prefix + key, burst, perSecond, "reserve")),
    );
  }

  async release(key: string, burst: number, perSecond: number): Promise<void> {
    await this.redis.eval(SCRIPT, 1, this.prefix + key, burst, perSecond, "release");
  }

  async fill(key: string, burst: number, perSecond: number): Promise<void> {
    await this.redis.eval(SCRIPT, 1, this.prefix + key, burst, perSecond, "fill");
  }
}
