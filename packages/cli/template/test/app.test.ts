import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { B24App } from "@b24kit/app";
import { type RunningServer, serve } from "@b24kit/app/node";
import { sqliteJobQueue, sqliteStore } from "@b24kit/app/sqlite";
import {
  control,
  freePort,
  openApp,
  openPlacement,
  type PortalInfo,
  testEmulator,
  testPortal,
  waitFor,
} from "@b24kit/emulator/testing";
import { createB24Client, webhookAuth } from "@b24kit/rest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp, manifest } from "../src/app.js";

// The app against a local Bitrix24 portal (the emulator), over real HTTP: registered as a
// marketplace app, installed by the portal's admin, its deal tab opened, its event handler run.
const emu = await testEmulator();
const dir = mkdtempSync(join(tmpdir(), "b24kit-app-test-"));
const store = sqliteStore({ file: join(dir, "app.db") });
const queue = sqliteJobQueue({ file: join(dir, "queue.db") });
let app: B24App;
let server: RunningServer;
let portal: PortalInfo;
let clientId: string;

beforeAll(async () => {
  portal = await testPortal(emu);
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}/`;
  // As a vendor registers the app: its URL is the app page and the installer.
  const registered = await control(emu).registerApp({
    scopes: manifest.scopes,
    appUrl: publicUrl,
    installUrl: publicUrl,
    local: false,
  });
  clientId = registered.clientId;
  app = buildApp({
    config: {
      publicUrl,
      clientId,
      clientSecret: registered.clientSecret,
      oauthServer: emu.authUrl,
      encryptionKeys: { k1: randomBytes(32).toString("base64") },
      encryptionKeyId: "k1",
      sessionSecret: randomBytes(32).toString("hex"),
    },
    store,
    queue,
  });
  server = await serve(app, { port });

  // The portal's admin installs it: the installer page, then its installFinish().
  await control(emu).install(portal.memberId, clientId);
  const installer = await openApp(emu, portal.memberId, { clientId });
  expect(installer.response.status).toBe(200);
  await control(emu).finishInstall(portal.memberId, clientId);
  await waitFor(async () => (await app.tenants.get(portal.memberId))?.state === "active");
});

afterAll(async () => {
  await server?.close();
  await app?.close();
  await queue.close();
  await store.close();
  await emu.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The portal's admin, through its incoming webhook (changes made as a person would). */
const admin = () => createB24Client({ auth: webhookAuth(portal.adminWebhookUrl) });

async function openDealTab(dealId: number): Promise<string> {
  const { response } = await openPlacement(emu, portal.memberId, {
    clientId,
    placement: "CRM_DEAL_DETAIL_TAB",
    options: { ID: dealId },
  });
  expect(response.status).toBe(200);
  return response.text();
}

describe("the app on a portal", () => {
  it("is installed, with its deal tab bound", async () => {
    const installation = await control(emu).request<{ installed: boolean; placements: unknown[] }>(
      "GET",
      `portals/${portal.memberId}/apps/${clientId}`,
    );
    expect(installation.installed).toBe(true);
    expect(installation.placements).toEqual([expect.objectContaining({ placement: "CRM_DEAL_DETAIL_TAB" })]);
  });

  it("shows the deal's title in the deal tab, escaped", async () => {
    const { result: id } = await admin().call<number>("crm.deal.add", {
      fields: { TITLE: "Big <b>order</b> & co" },
    });
    const html = await openDealTab(id);
    expect(html).toContain("Big &lt;b&gt;order&lt;/b&gt; &amp; co");
    expect(html).not.toContain("<b>order</b>");
  });

  it("sees a deal's change through ONCRMDEALUPDATE", async () => {
    const { result: id } = await admin().call<number>("crm.deal.add", { fields: { TITLE: "Before" } });
    await admin().call("crm.deal.update", { id, fields: { TITLE: "After the call" } });
    // The portal posts the event, the runtime queues it, a worker runs the handler.
    await waitFor(async () => (await openDealTab(id)).includes("Last change seen: “After the call”"), {
      timeoutMs: 20_000,
    });
  });
});
