import { mkdirSync } from "node:fs";
import { configFromEnv, type JobQueue, storeFromUrl } from "@b24kit/app";
import { serve } from "@b24kit/app/node";
import { createDealInsights } from "./app.js";

/**
 * Deal insights in production: configuration from the environment
 * (packages/app/README.md), SQLite by default (one machine), PostgreSQL and
 * BullMQ when B24KIT_DATABASE_URL and B24KIT_REDIS_URL say so (the cluster
 * profile; run workers with `b24kit worker --app dist/worker.js`).
 */
export async function startServer(): Promise<void> {
  const databaseUrl = process.env.B24KIT_DATABASE_URL ?? "sqlite:data/app.db";
  if (databaseUrl.startsWith("sqlite:")) mkdirSync("data", { recursive: true });
  const store = await storeFromUrl(databaseUrl);
  const queue = await queueFromEnv();
  const app = createDealInsights({
    config: configFromEnv(),
    store,
    queue,
    workers: Number(process.env.B24KIT_WORKERS ?? (process.env.B24KIT_REDIS_URL ? 0 : 4)),
  });
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
    process.exit(0);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

export async function queueFromEnv(): Promise<JobQueue> {
  if (process.env.B24KIT_REDIS_URL) {
    const { bullmqJobQueue } = await import("@b24kit/app/bullmq");
    return bullmqJobQueue({ connection: process.env.B24KIT_REDIS_URL });
  }
  const { sqliteJobQueue } = await import("@b24kit/app/sqlite");
  return sqliteJobQueue({ file: process.env.B24KIT_QUEUE_FILE ?? "data/queue.db" });
}
