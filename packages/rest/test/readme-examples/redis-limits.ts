import { createB24Client, webhookAuth } from "@b24kit/rest";
import { RedisBucketStore } from "@b24kit/rest/redis";
import { Redis } from "ioredis";

// Every process that calls this portal books its requests in one bucket in Redis,
// so together they stay within the portal's limit instead of each assuming it is alone.
const redis = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379");
const b24 = createB24Client({
  auth: webhookAuth(process.env.B24_WEBHOOK_URL!),
  limits: { store: new RedisBucketStore(redis) },
});
await Promise.all(Array.from({ length: 10 }, (_, i) => b24.call("crm.deal.get", { id: i + 1 })));
redis.disconnect();
