import { mkdirSync } from "node:fs";
import { configFromEnv, storeFromUrl } from "@b24kit/app";
import { serve } from "@b24kit/app/node";
import { sqliteJobQueue } from "@b24kit/app/sqlite";
import { buildApp } from "./app.js";

/**
 * The production entry (and what `b24kit dev` runs, with the environment it generates):
 * configuration from B24KIT_* variables, the store from B24KIT_DATABASE_URL (default a SQLite
 * file in data/), the event queue in data/queue.db (B24KIT_QUEUE_FILE), served on PORT.
 */
mkdirSync("data", { recursive: true });
const store = await storeFromUrl(process.env.B24KIT_DATABASE_URL ?? "sqlite:data/app.db");
const queue = sqliteJobQueue({ file: process.env.B24KIT_QUEUE_FILE ?? "data/queue.db" });
const app = buildApp({ config: configFromEnv(), store, queue });
await app.ready();
const server = await serve(app, {
  port: Number(process.env.PORT ?? 3000),
  host: process.env.HOST ?? "127.0.0.1",
  trustProxy: process.env.B24KIT_TRUST_PROXY === "1",
});
console.error(`listening on ${server.url}/ as ${app.config.publicUrl}`);

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await server.close(); // lets requests in flight finish
  await app.close(); // stops the workers after the jobs in hand
  await queue.close();
  await store.close();
  process.exit(0);
}
process.once("SIGTERM", () => void stop());
process.once("SIGINT", () => void stop());
