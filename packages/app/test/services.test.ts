import { Redis } from "ioredis";
import pg from "pg";
import { describe, expect, it } from "vitest";

// The cluster profile runs on PostgreSQL and Redis; these prove both answer
// through the clients the runtime uses, with real round trips.
describe("backing services", () => {
  it("PostgreSQL executes a transaction", async () => {
    const client = new pg.Client({
      connectionString: process.env.B24KIT_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test",
    });
    await client.connect();
    try {
      await client.query("BEGIN");
      await client.query("CREATE TEMP TABLE smoke (member_id text primary key, n int) ON COMMIT DROP");
      await client.query("INSERT INTO smoke VALUES ($1, $2)", ["abc", 41]);
      const r = await client.query<{ n: number }>(
        "UPDATE smoke SET n = n + 1 WHERE member_id = $1 RETURNING n",
        ["abc"],
      );
      await client.query("COMMIT");
      expect(r.rows[0]?.n).toBe(42);
    } finally {
      await client.end();
    }
  });

  it("Redis runs an atomic script", async () => {
    const redis = new Redis(process.env.B24KIT_REDIS_URL ?? "redis://127.0.0.1:6379", {
      maxRetriesPerRequest: 1,
    });
    redis.on("error", () => {});
    try {
      const key = `b24kit:test:${process.pid}:${Date.now()}`;
      const n = await redis.eval(
        "redis.call('SET', KEYS[1], ARGV[1], 'PX', 5000); return redis.call('INCRBY', KEYS[1], 2)",
        1,
        key,
        "40",
      );
      expect(n).toBe(42);
      await redis.del(key);
    } finally {
      redis.disconnect();
    }
  });
});
