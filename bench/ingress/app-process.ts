// One server of the ingress and fairness benches, in a process of its own so that the load
// generator never shares its event loop: a bare Fastify route (baseline), or the app on the
// embedded profile (SQLite store and queue, workers in this process) or on the cluster profile
// (PostgreSQL store, BullMQ; a web process with no workers, or a worker process with no server).
// Settings come as JSON in B24KIT_BENCH; prints {"ready":true,...} on stdout once it serves.
// With an IPC channel (fork) it reports handler timings and takes flood commands (bench/fairness).
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { type AppStore, createApp, eventKey, type JobQueue } from "@b24kit/app";
import { bullmqJobQueue } from "@b24kit/app/bullmq";
import { type RunningServer, serve } from "@b24kit/app/node";
import { postgresStore } from "@b24kit/app/postgres";
import { sqliteJobQueue, sqliteStore } from "@b24kit/app/sqlite";
import Fastify from "fastify";
import type { ChildMessage, ParentMessage, ProcessSettings } from "./protocol.js";

const settings = JSON.parse(process.env.B24KIT_BENCH ?? "{}") as ProcessSettings;
const send = (message: ChildMessage) => process.send?.(message);

// CPU time is what the server spends per event whatever else the machine runs; latency is not.
process.on("message", (message: ParentMessage) => {
  if (message.type !== "cpu") return;
  const { user, system } = process.cpuUsage();
  send({ type: "cpu", userUs: user, systemUs: system });
});

if (settings.profile === "baseline") {
  // The floor: Fastify reading the same form body as a string and answering 200, nothing else.
  const fastify = Fastify({ logger: false });
  fastify.addContentTypeParser(
    "application/x-www-form-urlencoded",
    { parseAs: "string" },
    (_request, body, done) => done(null, body),
  );
  fastify.post("/b24/events", async () => ({ ok: true }));
  await fastify.listen({ port: settings.port, host: "127.0.0.1" });
  ready(async () => {
    await fastify.close();
  });
} else {
  await startApp();
}

async function startApp(): Promise<void> {
  const store: AppStore =
    settings.profile === "embedded"
      ? sqliteStore({ file: join(settings.dir!, "app.db") })
      : postgresStore({ url: settings.pgUrl!, schema: settings.schema! });
  const inner: JobQueue =
    settings.profile === "embedded"
      ? sqliteJobQueue({ file: join(settings.dir!, "queue.db") })
      : bullmqJobQueue({ connection: settings.redisUrl!, prefix: settings.prefix! });
  // When each job was received (its payload's receivedAt), looked up by the handler: the runtime
  // does not hand it to handlers, and the fairness bench measures receipt → handler end.
  const receivedAt = new Map<string, number>();
  const queue: JobQueue = {
    enqueue: (job) => inner.enqueue(job),
    consume: (run, options) =>
      inner.consume(async (job) => {
        const key = `${job.memberId}\n${job.id}`;
        receivedAt.set(key, (job.payload as { receivedAt?: number } | null)?.receivedAt ?? Date.now());
        try {
          return await run(job);
        } finally {
          receivedAt.delete(key);
        }
      }, options),
    stats: () => inner.stats(),
    deadLetters: (filter) => inner.deadLetters(filter),
    retryDead: (memberId, id) => inner.retryDead(memberId, id),
    ping: () => inner.ping(),
    close: () => inner.close(),
  };
  const watched = new Set(settings.watch ?? []);
  const counts: Record<string, number> = {};
  let countsChanged = false;
  // Workers run inside createApp only for role "all"; a "worker" process starts them with app.work().
  const workers = settings.role === "all" ? (settings.workers ?? 4) : 0;
  const app = createApp({
    manifest: { version: "1", scopes: ["crm"], events: [{ event: "ONCRMDEALADD" }] },
    config: {
      appName: "Ingress bench",
      publicUrl: settings.publicUrl,
      clientId: settings.clientId,
      clientSecret: settings.clientSecret,
      oauthServer: settings.oauthServer,
      encryptionKeys: { k1: settings.encryptionKey },
      encryptionKeyId: "k1",
      sessionSecret: settings.sessionSecret,
    },
    store,
    queue,
    workers,
    offlineDrainIntervalMs: 0,
    events: {
      async ONCRMDEALADD(ctx) {
        // A stand-in for a handler's REST call: waiting, not computing.
        if (settings.workMs) await sleep(settings.workMs);
        const memberId = ctx.tenant.memberId;
        if (!process.send) return;
        counts[memberId] = (counts[memberId] ?? 0) + 1;
        countsChanged = true;
        if (watched.has(memberId)) {
          const at = receivedAt.get(`${memberId}\n${ctx.id}`);
          if (at !== undefined)
            send({ type: "ran", memberId, dealId: Number(ctx.data.FIELDS.ID), latencyMs: Date.now() - at });
        }
      },
    },
  });
  await app.ready();
  const consumer = settings.role === "worker" ? app.work({ concurrency: settings.workers ?? 4 }) : undefined;
  const server: RunningServer | undefined =
    settings.role === "worker" ? undefined : await serve(app, { port: settings.port });
  // Every other flood job and handler count travels in one message a tick, not one each.
  const ticker = process.send
    ? setInterval(() => {
        if (!countsChanged) return;
        countsChanged = false;
        send({ type: "counts", counts: { ...counts } });
      }, 50)
    : undefined;
  process.on("message", (message: ParentMessage) => {
    if (message.type === "flood") void flood(queue, message.memberId, message.count, message.firstId);
  });
  ready(async () => {
    if (ticker) clearInterval(ticker);
    await server?.close();
    await consumer?.stop();
    await app.close();
    await queue.close();
    await store.close();
  });
}

/**
 * Portal A's flood straight into the queue, with the job the ingress writes for a verified
 * ONCRMDEALADD (events/event-ingress.ts): key, kind, payload. In slices of 20 with a turn of
 * the event loop between, so the ingress and the workers keep running meanwhile (a SQLite
 * insert takes ~0.1–0.2 ms on the event loop: larger slices would stall B's requests themselves).
 */
const FLOOD_SLICE = 20;

async function flood(queue: JobQueue, memberId: string, count: number, firstId: number): Promise<void> {
  const started = performance.now();
  const ts = Math.floor(Date.now() / 1000);
  for (let i = 0; i < count; i += FLOOD_SLICE) {
    const slice = [];
    for (let j = i; j < Math.min(count, i + FLOOD_SLICE); j++) {
      const data = { FIELDS: { ID: String(firstId + j) } };
      slice.push(
        queue.enqueue({
          memberId,
          id: eventKey("ONCRMDEALADD", data, ts),
          kind: "event",
          payload: { event: "ONCRMDEALADD", data, ts, source: "online", receivedAt: Date.now(), userId: 1 },
        }),
      );
    }
    await Promise.all(slice);
    await new Promise((resolve) => setImmediate(resolve));
  }
  send({ type: "flooded", count, ms: Math.round(performance.now() - started) });
}

function ready(close: () => Promise<void>): void {
  let closing = false;
  const stop = async () => {
    if (closing) return;
    closing = true;
    try {
      await close();
    } finally {
      process.exit(0);
    }
  };
  process.on("SIGTERM", stop);
  process.on("disconnect", stop);
  process.stdout.write(`${JSON.stringify({ ready: true, pid: process.pid })}\n`);
}
