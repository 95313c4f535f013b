import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { postgresStore } from "@b24kit/app/postgres";
import { control, testEmulator, testPortal, waitFor } from "@b24kit/emulator/testing";
import { Redis } from "ioredis";
import pg from "pg";
import { afterAll, expect, it } from "vitest";
import { testSchemaName } from "../../../scripts/test-pg-schemas.js";
import { freePort } from "./app-harness.js";
import type { ClusterSettings } from "./fixtures/cluster-app.js";

// The cluster profile end to end: 2 web processes acknowledge 5,000 events
// into BullMQ on Redis, 2 `b24kit worker` processes run them against a
// PostgreSQL store; one worker is killed with SIGKILL mid-run. Every event
// is processed, and its effect (keyed by the event's id) happens once.
const pgUrl = process.env.B24KIT_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const redisUrl = process.env.B24KIT_REDIS_URL ?? "redis://127.0.0.1:6379";
const schema = testSchemaName("cluster"); // dropped with the run's (scripts/test-pg-schemas.ts)
const prefix = `b24kit-test-${randomBytes(4).toString("hex")}`;
const emu = await testEmulator();
const db = new pg.Pool({ connectionString: pgUrl, max: 2 });
await db.query(`CREATE SCHEMA ${schema}`);
await db.query(`CREATE TABLE ${schema}.cluster_effects (event_id text PRIMARY KEY, deal_id text NOT NULL)`);
await db.query(`CREATE TABLE ${schema}.cluster_runs (event_id text NOT NULL, pid int NOT NULL)`);
const children: ChildProcess[] = [];
afterAll(async () => {
  for (const child of children) child.kill("SIGKILL");
  const redis = new Redis(redisUrl);
  redis.on("error", () => {});
  const keys = await redis.keys(`${prefix}:*`);
  for (let i = 0; i < keys.length; i += 500) await redis.del(...keys.slice(i, i + 500));
  redis.disconnect();
  await db.end();
  await emu.close();
});

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const cli = fileURLToPath(new URL("../../cli/src/cli.ts", import.meta.url));

function start(args: string[], env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--conditions=source", "--import", "tsx", ...args], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).once("line", () => resolve(child));
    child.once("exit", (code) =>
      reject(new Error(`${args.join(" ")} exited (${code}) before its ready line`)),
    );
  });
}

const count = async (table: string) =>
  Number((await db.query(`SELECT COUNT(*) AS n FROM ${schema}.${table}`)).rows[0].n);

it("2 web + 2 worker processes, 5,000 events, a worker killed: all processed, none twice in effect", {
  timeout: 240_000,
}, async () => {
  const portal = await testPortal(emu);
  const ports = [await freePort(), await freePort()];
  const urls = ports.map((port) => `http://127.0.0.1:${port}/`);
  const registered = await control(emu).registerApp({
    scopes: ["crm"],
    local: false,
    installHandlerUrl: `${urls[0]}b24/install`,
  });
  const settings: ClusterSettings = {
    pgUrl,
    schema,
    redisUrl,
    prefix,
    publicUrl: urls[0]!,
    clientId: registered.clientId,
    clientSecret: registered.clientSecret,
    oauthServer: emu.authUrl,
    encryptionKey: randomBytes(32).toString("base64"),
    sessionSecret: randomBytes(32).toString("hex"),
  };
  const env = { B24KIT_CLUSTER: JSON.stringify(settings) };
  await Promise.all(
    ports.map((port) => start([here("./fixtures/cluster-web.ts")], { ...env, B24KIT_PORT: String(port) })),
  );
  const worker = ["worker", "--app", here("./fixtures/cluster-app.ts"), "--concurrency", "8"];
  const workers = await Promise.all([start([cli, ...worker], env), start([cli, ...worker], env)]);

  const store = postgresStore({ url: pgUrl, schema });
  await control(emu).install(portal.memberId, registered.clientId);
  await waitFor(async () => (await store.tenant(portal.memberId).get())?.state === "active", {
    timeoutMs: 30_000,
  });
  await store.close();
  const { applicationToken } = await control(emu).request<{ applicationToken: string }>(
    "GET",
    `portals/${portal.memberId}/apps/${registered.clientId}`,
  );

  // The portal's POSTs, spread over both web processes as a load balancer would.
  const TOTAL = 5000;
  const ts = String(Math.floor(Date.now() / 1000));
  let next = 0;
  const post = async () => {
    while (next < TOTAL) {
      const i = next++;
      const body = new URLSearchParams({
        event: "ONCRMDEALADD",
        "data[FIELDS][ID]": String(i + 1),
        ts,
        "auth[member_id]": portal.memberId,
        "auth[application_token]": applicationToken,
        "auth[domain]": portal.domain,
      });
      const response = await fetch(`${urls[i % 2]}b24/events`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body,
      });
      if (response.status !== 200) throw new Error(`event ${i} answered ${response.status}`);
    }
  };
  const posting = Promise.all(Array.from({ length: 16 }, post));
  // Kill a worker while it has work in hand.
  await waitFor(async () => (await count("cluster_effects")) >= 1000, { timeoutMs: 120_000 });
  workers[0]!.kill("SIGKILL");
  await posting;

  await waitFor(async () => (await count("cluster_effects")) >= TOTAL, {
    timeoutMs: 150_000,
    intervalMs: 500,
  });
  expect(await count("cluster_effects")).toBe(TOTAL);
  const deals = await db.query(`SELECT COUNT(DISTINCT deal_id) AS n FROM ${schema}.cluster_effects`);
  expect(Number(deals.rows[0].n)).toBe(TOTAL);
  // At least once: runs repeated only for jobs the killed worker held (its concurrency at most).
  const repeated = (await count("cluster_runs")) - TOTAL;
  expect(repeated).toBeGreaterThanOrEqual(0);
  expect(repeated).toBeLessThanOrEqual(8);
});
