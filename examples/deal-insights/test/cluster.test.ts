import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { control, freePort, testEmulator, testPortal } from "@b24kit/emulator/testing";
import { Redis } from "ioredis";
import { afterAll, expect, it } from "vitest";
import { testSchemaName } from "../../../scripts/test-pg-schemas.js";
import { MANIFEST } from "../src/manifest.js";

/**
 * The deployment guide's cluster profile, as it says to run it: the built
 * production entry (`bin/serve.js`) as the web process and `b24kit worker
 * --app dist/worker.js` as the worker, on PostgreSQL and Redis, configured only
 * through B24KIT_* variables. A deal changed on the portal is rescored by the
 * worker process, not the web one.
 */
const pgUrl = process.env.B24KIT_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const redisUrl = process.env.B24KIT_REDIS_URL ?? "redis://127.0.0.1:6379";
const schema = testSchemaName("deal_insights"); // dropped with the run's (scripts/test-pg-schemas.ts)
const prefix = `deal-insights-test-${randomBytes(4).toString("hex")}`;
const serveJs = fileURLToPath(new URL("../bin/serve.js", import.meta.url));
const workerJs = fileURLToPath(new URL("../dist/worker.js", import.meta.url));
const cliJs = fileURLToPath(new URL("../../../packages/cli/bin/b24kit.js", import.meta.url));

const emu = await testEmulator();
const children: ChildProcess[] = [];
afterAll(async () => {
  for (const child of children) child.kill("SIGKILL");
  await emu.close();
  const redis = new Redis(redisUrl);
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
});

function start(args: string[], env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).once("line", () => resolve(child));
    child.once("exit", (code) =>
      reject(new Error(`${args.join(" ")} exited (${code}) before its first line`)),
    );
  });
}

it("runs as a web process and a b24kit worker on PostgreSQL and Redis; the worker rescores a changed deal", {
  timeout: 120_000,
}, async () => {
  const portal = await testPortal(emu);
  await control(emu).request("POST", `portals/${portal.memberId}/seed`, {
    deals: 5,
    contacts: 5,
    companies: 2,
  });
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}/`;
  const registered = await control(emu).registerApp({
    scopes: MANIFEST.scopes,
    local: false,
    appUrl: publicUrl,
    installHandlerUrl: `${publicUrl}b24/install`,
  });
  const env = {
    B24KIT_PUBLIC_URL: publicUrl,
    B24KIT_CLIENT_ID: registered.clientId,
    B24KIT_CLIENT_SECRET: registered.clientSecret,
    B24KIT_OAUTH_SERVER: emu.authUrl,
    B24KIT_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString("base64")}`,
    B24KIT_ENCRYPTION_KEY_ID: "k1",
    B24KIT_SESSION_SECRET: randomBytes(32).toString("hex"),
    B24KIT_DATABASE_URL: `${pgUrl}?schema=${schema}`,
    B24KIT_REDIS_URL: redisUrl,
    B24KIT_QUEUE_PREFIX: prefix,
    PORT: String(port),
  };
  await start([serveJs], env);
  await start([cliJs, "worker", "--app", workerJs, "--concurrency", "2"], env);

  await control(emu).install(portal.memberId, registered.clientId);
  const webhook = portal.adminWebhookUrl;
  const rest = async (method: string, params: Record<string, unknown>) => {
    const res = await fetch(`${webhook}${method}.json`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(params),
    });
    return ((await res.json()) as { result: Record<string, string> }).result;
  };
  // Installed headless: the web process took ONAPPINSTALL and applied the manifest.
  await expect
    .poll(
      async () =>
        (
          await control(emu).request<{ events: Array<{ event: string }> }>(
            "GET",
            `portals/${portal.memberId}/apps/${registered.clientId}`,
          )
        ).events.some((e) => e.event === "ONCRMDEALUPDATE"),
      { timeout: 30_000 },
    )
    .toBe(true);

  await rest("crm.deal.update", { id: 1, fields: { STAGE_ID: "WON" } });
  await expect
    .poll(async () => (await rest("crm.deal.get", { id: 1 })).PROBABILITY, { timeout: 30_000 })
    .toBe("100");

  // The web process only acknowledged: it ran no handler (workers: 0 with Redis), the worker did.
  const metrics = await (await fetch(`${publicUrl}metrics`)).text();
  expect(metrics).toMatch(/b24kit_events_received_total\{[^}]*event="ONCRMDEALUPDATE"[^}]*\} [1-9]/);
  expect(metrics).not.toMatch(/b24kit_events_total\{[^}]*outcome="processed"[^}]*\} [1-9]/);
  const ready = (await (await fetch(`${publicUrl}readyz`)).json()) as { ok: boolean };
  expect(ready.ok).toBe(true);
});
