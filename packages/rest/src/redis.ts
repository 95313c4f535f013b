// @b24kit/rest/redis: the adapters that share state between processes through Redis.
// Kept off the main entry so that it stays free of anything a browser bundle does not need.
// They take any client with `eval`/`set` (ioredis fits); no Redis package is imported here.
export { type RedisLike, redisRefreshLock } from "./auth/redis-refresh-lock.js";
export { RedisBucketStore, type RedisEval } from "./limits/redis-bucket-store.js";
