import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { tenantKv } from "@b24kit/app";
import { sqliteStore } from "@b24kit/app/sqlite";
import {
  control,
  freePort,
  openApp,
  openPlacement,
  testEmulator,
  testPortal,
  waitFor,
} from "@b24kit/emulator/testing";
import { afterAll, expect, it } from "vitest";

// The README's quick start (test/readme-examples/quick-start.ts), run as its own process the way a user
// runs it: configured by the environment, its SQLite files under data/ in its working folder, registered
// with the emulator as a marketplace app whose URL is both the app URL and the installer URL.
const emu = await testEmulator();
const dir = mkdtempSync(join(tmpdir(), "b24kit-quick-start-"));
let child: ChildProcess | undefined;
afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child!.once("exit", resolve));
    child.kill("SIGTERM");
    await exited;
  }
  await emu.close();
  rmSync(dir, { recursive: true, force: true });
});

const example = new URL("./readme-examples/quick-start.ts", import.meta.url).pathname;
// tsx runs the TypeScript; named by path because the working folder is a fresh one.
const tsx = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;

/** A REST call through the portal's admin webhook (a person working in the portal). */
async function asAdmin<T>(webhook: string, method: string, params: object): Promise<T> {
  const res = await fetch(`${webhook}${method}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(params),
  });
  return ((await res.json()) as { result: T }).result;
}

it("quick-start.ts installs, binds its tab and event, shows a deal escaped, and handles the deal's update", async () => {
  const portal = await testPortal(emu);
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}/`;
  const api = control(emu);
  const registered = await api.registerApp({
    scopes: ["crm", "placement", "user"],
    appUrl: publicUrl,
    installUrl: publicUrl,
    local: false,
  });
  child = spawn(process.execPath, ["--conditions=source", "--import", tsx, example], {
    cwd: dir,
    env: {
      ...process.env,
      PORT: String(port),
      B24KIT_PUBLIC_URL: publicUrl,
      B24KIT_CLIENT_ID: registered.clientId,
      B24KIT_CLIENT_SECRET: registered.clientSecret,
      B24KIT_OAUTH_SERVER: emu.authUrl,
      B24KIT_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString("base64")}`,
      B24KIT_ENCRYPTION_KEY_ID: "k1",
      B24KIT_SESSION_SECRET: randomBytes(32).toString("hex"),
    },
    stdio: ["ignore", "inherit", "inherit"],
  });
  await waitFor(async () => (await fetch(`${publicUrl}healthz`).catch(() => undefined))?.ok, {
    timeoutMs: 60_000,
  });

  // The admin installs it: the installer page, then its installFinish.
  await api.install(portal.memberId, registered.clientId);
  const installer = await openApp(emu, portal.memberId, { clientId: registered.clientId });
  expect(installer.request.install).toBe(true);
  expect(installer.response.status).toBe(200);
  await api.finishInstall(portal.memberId, registered.clientId);
  const installation = await api.installation(portal.memberId, registered.clientId);
  expect(installation.placements.map((p) => p.placement)).toEqual(["CRM_DEAL_DETAIL_TAB"]);
  expect(installation.events.map((e) => e.event)).toContain("ONCRMDEALUPDATE");

  const opened = await openApp(emu, portal.memberId, { clientId: registered.clientId });
  expect(await opened.response.text()).toContain("<h1>Hello, Admin Portal</h1>");

  const dealId = await asAdmin<number>(portal.adminWebhookUrl, "crm.deal.add", {
    fields: { TITLE: "Big <deal> & co" },
  });
  const tab = await openPlacement(emu, portal.memberId, {
    clientId: registered.clientId,
    placement: "CRM_DEAL_DETAIL_TAB",
    options: { ID: dealId },
  });
  expect(tab.response.status).toBe(200);
  expect(await tab.response.text()).toContain("<h1>Big &#60;deal&#62; &#38; co</h1>");

  // Someone renames the deal: the event is queued, a worker runs the handler, which keeps the title.
  await asAdmin(portal.adminWebhookUrl, "crm.deal.update", { id: dealId, fields: { TITLE: "Renamed" } });
  const store = sqliteStore({ file: join(dir, "data", "app.db") });
  try {
    const kv = tenantKv(store, portal.memberId);
    const seen = await waitFor(
      async () => {
        const keys = await kv.keys("seen:");
        return keys.length > 0 ? Promise.all(keys.map((k) => kv.get(k))) : undefined;
      },
      { timeoutMs: 20_000 },
    );
    expect(seen).toEqual(["Renamed"]);
  } finally {
    await store.close();
  }
}, 120_000);
