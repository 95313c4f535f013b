import { mkdirSync } from "node:fs";
import { type AppStore, type B24App, configFromEnv, type JobQueue, storeFromUrl } from "@b24kit/app";
import { serve } from "@b24kit/app/node";
import { redisRefreshLock } from "@b24kit/rest/redis";
import { createDealInsights } from "./app.js";

/**
 * Deal insights as deployed: configuration from the environment
 * (packages/app/README.md), SQLite files under data/ by default (one machine),
 * PostgreSQL and BullMQ when B24KIT_DATABASE_URL and B24KIT_REDIS_URL say so
 * (the cluster profile: web processes run `startServer`, workers run
 * `b24kit worker --app dist/worker.js`).
 */
export async function appFromEnv(options: { workers?: number } = {}): Promise<{
  app: B24App;
  store: AppStore;
  queue: JobQueue;
  /** Closes what the app does not own (the refresh lock's Redis connection). */
  closeExtras(): Promise<void>;
}> {
  const databaseUrl = process.env.B24KIT_DATABASE_URL ?? "sqlite:data/app.db";
  if (databaseUrl.startsWith("sqlite:") || !process.env.B24KIT_REDIS_URL)
    mkdirSync("data", { recursive: true });
  const store = await storeFromUrl(databaseUrl);
  const queue = await queueFromEnv();
  const redisUrl = process.env.B24KIT_REDIS_URL;
  // Several processes may find one portal's token expired at once: one refreshes, the rest wait
  // (a second refresh would spend the refresh token the first one just replaced, §1.4).
  const redis = redisUrl ? new (await import("ioredis")).Redis(redisUrl) : undefined;
  const app = createDealInsights({
    config: configFromEnv(),
    store,
    queue,
    workers: options.workers ?? Number(process.env.B24KIT_WORKERS ?? (redis ? 0 : 4)),
    ...(redis ? { refreshLock: redisRefreshLock(redis) } : {}),
  });
  return {
    app,
    store,
    queue,
    closeExtras: async () => {
      await redis?.quit();
    },
  };
}

export async function startServer(): Promise<void> {
  const { app, store, queue, closeExtras } = await appFromEnv();
  await app.ready();
  const server = await serve(app, {
    port: Number(process.env.PORT ?? 3000),
    host: process.env.HOST ?? "127.0.0.1",
    trustProxy: process.env.B24KIT_TRUST_PROXY === "1",
  });
  process.stdout.write(`${JSON.stringify({ listening: true, url: server.url })}\n`);
  const stop = async () => {
    await server.close();
    await app.close();
    await queue.close();
    await store.close();
    await closeExtras();
    process.exit(0);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

async function queueFromEnv(): Promise<JobQueue> {
  if (process.env.B24KIT_REDIS_URL) {
    const { bullmqJobQueue } = await import("@b24kit/app/bullmq");
    return bullmqJobQueue({
      connection: process.env.B24KIT_REDIS_URL,
      ...(process.env.B24KIT_QUEUE_PREFIX ? { prefix: process.env.B24KIT_QUEUE_PREFIX } : {}),
    });
  }
  const { sqliteJobQueue } = await import("@b24kit/app/sqlite");
  return sqliteJobQueue({ file: process.env.B24KIT_QUEUE_FILE ?? "data/queue.db" });
}
