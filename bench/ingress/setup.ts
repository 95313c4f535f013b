// What the ingress and fairness benches share on the parent's side: server processes, the app
// registered and installed on emulator portals, the portal's own event body as a template, and
// the cluster profile's PostgreSQL schema and Redis prefix (made per run, removed after).
import { type ChildProcess, fork } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import type { EmulatorHandle } from "@b24kit/emulator";
import { control, type PortalInfo } from "@b24kit/emulator/testing";
import { Redis } from "ioredis";
import pg from "pg";
import type { ChildMessage, ParentMessage, ProcessSettings } from "./protocol.js";

const APP_PROCESS = fileURLToPath(new URL("./app-process.ts", import.meta.url));
export const PG_URL = process.env.B24KIT_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test";
export const REDIS_URL = process.env.B24KIT_REDIS_URL ?? "redis://127.0.0.1:6379";

/** A port nobody listens on right now (the app's public URL must be known before it starts). */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

export interface ServerProcess {
  child: ChildProcess;
  /** Every message it sent, in order, to whoever listens. */
  onMessage(listener: (message: ChildMessage) => void): void;
  /** CPU ms (user + system) the process has used so far. */
  cpuMs(): Promise<number>;
  stop(): Promise<void>;
}

/** Starts app-process.ts with these settings and resolves once it says it is ready. */
export async function startProcess(settings: ProcessSettings): Promise<ServerProcess> {
  const child = fork(APP_PROCESS, [], {
    // B24KIT_BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=prof" profiles the servers (not allowed in NODE_OPTIONS).
    execArgv: [
      "--conditions=source",
      "--import",
      "tsx",
      ...(process.env.B24KIT_BENCH_NODE_ARGS ?? "").split(" ").filter(Boolean),
    ],
    env: { ...process.env, B24KIT_BENCH: JSON.stringify(settings) },
    stdio: ["ignore", "pipe", "inherit", "ipc"],
  });
  await new Promise<void>((resolve, reject) => {
    const exited = (code: number | null) =>
      reject(new Error(`bench ${settings.profile} ${settings.role} process exited (${code}) before ready`));
    child.once("exit", exited);
    createInterface({ input: child.stdout! }).once("line", () => {
      child.off("exit", exited);
      resolve();
    });
  });
  return {
    child,
    onMessage: (listener) => child.on("message", (m) => listener(m as ChildMessage)),
    cpuMs: () =>
      new Promise((resolve) => {
        const answer = (m: ChildMessage) => {
          if (m.type !== "cpu") return;
          child.off("message", answer);
          resolve((m.userUs + m.systemUs) / 1000);
        };
        child.on("message", answer);
        child.send({ type: "cpu" } satisfies ParentMessage);
      }),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** A marketplace app registered with the emulator, installed headless at `port`. */
export interface BenchApp {
  port: number;
  url: string;
  settings: Omit<ProcessSettings, "profile" | "role">;
}

export async function registerApp(emu: EmulatorHandle): Promise<BenchApp> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  const registered = await control(emu).registerApp({
    scopes: ["crm"],
    local: false,
    installHandlerUrl: `${url}b24/install`,
  });
  return {
    port,
    url,
    settings: {
      port,
      publicUrl: url,
      clientId: registered.clientId,
      clientSecret: registered.clientSecret,
      oauthServer: emu.authUrl,
      encryptionKey: randomBytes(32).toString("base64"),
      sessionSecret: randomBytes(32).toString("hex"),
    },
  };
}

/**
 * Installs the app on the portal, then has a person add a deal there until the portal's
 * ONCRMDEALADD POST reaches the app and is answered 200 (the app has bound the event and
 * knows the portal's application_token). Returns that POST's body: the portal's exact wire
 * format, signed, with the user's auth block as a real delivery carries it.
 */
export async function installAndCapture(
  emu: EmulatorHandle,
  portal: PortalInfo,
  clientId: string,
): Promise<string> {
  await control(emu).install(portal.memberId, clientId);
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const added = await fetch(`${portal.adminWebhookUrl}crm.deal.add.json`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ fields: { TITLE: "bench" } }),
    });
    if (!added.ok) throw new Error(`crm.deal.add answered ${added.status}: ${await added.text()}`);
    await control(emu).request("POST", "events/idle");
    const { deliveries } = await control(emu).request<{
      deliveries: Array<{ outcome: string; body: string }>;
    }>("GET", `portals/${portal.memberId}/deliveries?clientId=${clientId}&event=ONCRMDEALADD`);
    const ok = deliveries.find((d) => d.outcome === "ok");
    if (ok) return ok.body;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`The app never answered the portal's ONCRMDEALADD with 200 (portal ${portal.memberId})`);
}

/**
 * Bodies like the captured one, each for another deal (so none is de-duplicated) at the
 * current second; everything else, the signature included, exactly as the portal wrote it.
 */
export function eventBodies(template: string): (dealId: number) => string {
  const idField = /(^|&)data%5BFIELDS%5D%5BID%5D=[^&]*/;
  const tsField = /(^|&)ts=[^&]*/;
  if (!idField.test(template) || !tsField.test(template))
    throw new Error(`Unexpected event body: ${template.slice(0, 200)}`);
  let second = 0;
  let withTs = template;
  return (dealId) => {
    const now = Math.floor(Date.now() / 1000);
    if (now !== second) {
      second = now;
      withTs = template.replace(tsField, `$1ts=${now}`);
    }
    return withTs.replace(idField, `$1data%5BFIELDS%5D%5BID%5D=${dealId}`);
  };
}

/** The embedded profile's folder (app.db, queue.db). */
export function embeddedDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), "b24kit-bench-"));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A PostgreSQL schema and a Redis prefix of this run only; `remove()` drops both. */
export function clusterScope(): {
  pgUrl: string;
  schema: string;
  redisUrl: string;
  prefix: string;
  remove(): Promise<void>;
} {
  const tag = randomBytes(4).toString("hex");
  const schema = `b24kit_bench_${tag}`;
  const prefix = `b24kit-bench-${tag}`;
  return {
    pgUrl: PG_URL,
    schema,
    redisUrl: REDIS_URL,
    prefix,
    async remove() {
      const db = new pg.Client({ connectionString: PG_URL });
      await db.connect();
      try {
        await db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      } finally {
        await db.end();
      }
      const redis = new Redis(REDIS_URL);
      try {
        let cursor = "0";
        do {
          const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
          cursor = next;
          if (keys.length > 0) await redis.unlink(...keys);
        } while (cursor !== "0");
      } finally {
        redis.disconnect();
      }
    },
  };
}
