/**
 * Shared state of a portal's request budget. Both stores implement GCRA, the
 * scheduling form of the portal's own leaky bucket (protocol.md §4.1): with
 * burst B and drain r, a request may go once the bucket would hold at most
 * B-1. `reserve` books the next slot and says how long to wait for it, so
 * concurrent callers queue in order instead of polling and colliding.
 */
export interface BucketStore {
  /** Books a slot; resolves to the milliseconds to wait before sending. */
  reserve(key: string, burst: number, perSecond: number): Promise<number>;
  /** The portal said QUERY_LIMIT_EXCEEDED: treat the bucket as full from now. */
  fill(key: string, burst: number, perSecond: number): Promise<void>;
}

/** One process. */
export class MemoryBucketStore implements BucketStore {
  readonly #tat = new Map<string, number>();

  async reserve(key: string, burst: number, perSecond: number): Promise<number> {
    const now = Date.now();
    const interval = 1000 / perSecond;
    const tolerance = (burst - 1) * interval;
    const tat = Math.max(this.#tat.get(key) ?? now, now);
    this.#tat.set(key, tat + interval);
    return Math.max(0, tat - tolerance - now);
  }

  async fill(key: string, burst: number, perSecond: number): Promise<void> {
    const interval = 1000 / perSecond;
    this.#tat.set(key, Math.max(this.#tat.get(key) ?? 0, Date.now() + burst * interval));
  }
}

/** Minimal Redis surface for scripts (ioredis' `eval` fits). */
export interface RedisEval {
  eval(script: string, numKeys: number, ...args: Array<string | number>): Promise<unknown>;
}

// One atomic script per reservation; the Redis server's clock is the only clock,
// so processes on different machines agree on the schedule.
const RESERVE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local burst = tonumber(ARGV[1])
local interval = 1000 / tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then tat = now end
local wait
if ARGV[3] == 'fill' then
  local full = now + burst * interval
  if full > tat then tat = full end
  wait = 0
else
  wait = tat - (burst - 1) * interval - now
  if wait < 0 then wait = 0 end
  tat = tat + interval
end
redis.call('SET', KEYS[1], tostring(tat), 'PX', math.ceil(tat - now) + 60000)
return math.ceil(wait)
`;

/** Many processes (and machines) share one bucket per portal. */
export class RedisBucketStore implements BucketStore {
  constructor(
    private readonly redis: RedisEval,
    private readonly prefix = "b24kit:bucket:",
  ) {}

  async reserve(key: string, burst: number, perSecond: number): Promise<number> {
    return Number(await this.redis.eval(RESERVE, 1, this.prefix + key, burst, perSecond, "reserve"));
  }

  async fill(key: string, burst: number, perSecond: number): Promise<void> {
    await this.redis.eval(RESERVE, 1, this.prefix + key, burst, perSecond, "fill");
  }
}
