import {
  type AppManifestInput,
  type CapabilityExplanation,
  CapabilityService,
  capabilityNotice,
  parseManifest,
  probeCapabilities,
} from "@b24kit/app";
import {
  control,
  installApp,
  type PortalInput,
  testEmulator,
  testPortal,
  userToken,
} from "@b24kit/emulator/testing";
import { createB24Client, MemoryTokenStore, oauthAuth, tokensFromAuth, webhookAuth } from "@b24kit/rest";
import { afterAll, describe, expect, it } from "vitest";
import { useTempSqliteStore } from "./temp-store.js";
import { appClient } from "./tenant-client.js";

const emu = await testEmulator();
const temp = useTempSqliteStore("capabilities");
afterAll(() => emu.close());

const clientOf = appClient;

/** A fresh portal with the app installed, and the HTTP requests it served counted from zero. */
async function portalWithApp(portal: PortalInput & { plan?: PortalInput["plan"] }, scopes: string[]) {
  const info = await testPortal(emu, portal);
  const app = await installApp(emu, info.memberId, { scopes });
  await control(emu).resetStats(info.memberId);
  return { memberId: info.memberId, app, client: clientOf(app.auth, app) };
}

const requests = async (memberId: string) => (await control(emu).stats(memberId)).total;

const manifest = (input: Partial<AppManifestInput>) =>
  parseManifest({ version: "1", scopes: ["crm"], ...input });

describe("probeCapabilities against the emulator", () => {
  it("records plan, app status, scopes, methods, features and the admin flag in one request", async () => {
    const { memberId, client } = await portalWithApp({ plan: "professional" }, ["crm", "task", "placement"]);
    const caps = await probeCapabilities(
      client,
      manifest({
        scopes: ["crm", "task", "placement", "disk"],
        requires: { methods: ["crm.deal.list", "TASKS.task.list"], features: ["rest_auth_connector"] },
        optional: { methods: ["disk.folder.get", "no.such.method"], features: [] },
      }),
      { clock: { now: () => 1_700_000_000_000 } },
    );
    expect(await requests(memberId)).toBe(1);
    expect(caps.probedAt).toBe(1_700_000_000_000);
    expect(caps.license).toEqual({ license: "en_pro100", type: "pro100", family: "pro" });
    expect(caps.app).toMatchObject({ installed: true, paymentExpired: false, daysLeft: null });
    expect([...caps.scopes].sort()).toEqual(["crm", "placement", "task"]);
    expect(caps.methods).toEqual({
      "crm.deal.list": { exists: true, available: true, required: true },
      "tasks.task.list": { exists: true, available: true, required: true },
      "disk.folder.get": { exists: true, available: false, required: false },
      "no.such.method": { exists: false, available: false, required: false },
    });
    expect(caps.features).toEqual({
      rest_auth_connector: { enabled: true, required: true },
      rest_offline_extended: { enabled: true, required: false },
    });
    expect(caps.admin).toBe(true);
    expect(caps.portalRefusal).toBeUndefined();
    // The record is plain JSON: it survives a round trip unchanged.
    expect(JSON.parse(JSON.stringify(caps))).toEqual(caps);
  });

  it("costs two requests for a manifest of 60 methods (batches take 50 commands)", async () => {
    const { memberId, client } = await portalWithApp({}, ["crm"]);
    const methods = Array.from({ length: 60 }, (_, i) => (i === 0 ? "crm.deal.get" : `crm.custom${i}.list`));
    const caps = await probeCapabilities(client, manifest({ requires: { methods, features: [] } }));
    expect(await requests(memberId)).toBe(2);
    expect(Object.keys(caps.methods)).toHaveLength(60);
    expect(caps.methods["crm.deal.get"]).toMatchObject({ exists: true, available: true });
    expect(caps.methods["crm.custom7.list"]).toMatchObject({ exists: false });
  });

  it("turns a plan without REST into a record instead of an error", async () => {
    const { client } = await portalWithApp({ plan: "free" }, ["crm"]);
    const caps = await probeCapabilities(
      client,
      manifest({ requires: { methods: ["crm.deal.list"], features: [] } }),
    );
    expect(caps.portalRefusal).toEqual({ reason: "plan", code: "ACCESS_DENIED" });
    expect(caps.methods["crm.deal.list"]).toEqual({ exists: false, available: false, required: true });
  });

  it("reads lower plans' licences and features", async () => {
    const { client } = await portalWithApp({ plan: "standard" }, ["crm"]);
    const caps = await probeCapabilities(
      client,
      manifest({ requires: { methods: [], features: ["rest_offline_extended"] } }),
    );
    expect(caps.license?.family).toBe("std");
    expect(caps.features.rest_offline_extended).toEqual({ enabled: false, required: true });
  });

  it("notes a non-admin probing user", async () => {
    const { memberId, app } = await portalWithApp({}, ["crm"]);
    const { user } = await control(emu).addUser(memberId, { NAME: "Mia", ADMIN: false });
    const auth = await userToken(emu, memberId, app.clientId, user.ID);
    const caps = await probeCapabilities(clientOf(auth, app), manifest({}));
    expect(caps.admin).toBe(false);
  });

  it("probes through a webhook too, noting that app.info needs an app context", async () => {
    const portal = await testPortal(emu);
    const client = createB24Client({ auth: webhookAuth(portal.adminWebhookUrl) });
    const caps = await probeCapabilities(
      client,
      manifest({ requires: { methods: ["crm.deal.list"], features: [] } }),
    );
    expect(caps.probeErrors).toEqual({ "app.info": "ACCESS_DENIED" });
    expect(caps.license).toBeUndefined();
    expect(caps.app).toBeUndefined();
    expect(caps.methods["crm.deal.list"]).toEqual({ exists: true, available: true, required: true });
    expect(caps.admin).toBe(true);
  });

  it("fails (instead of recording nonsense) when the portal cannot be reached", async () => {
    const { app } = await portalWithApp({}, ["crm"]);
    const auth = { ...app.auth, client_endpoint: "https://127.0.0.1:9/rest/" };
    const client = createB24Client({
      auth: oauthAuth({
        memberId: auth.member_id,
        clientId: app.clientId,
        clientSecret: app.clientSecret,
        store: new MemoryTokenStore(tokensFromAuth(auth)),
      }),
      retry: { maxAttempts: 1 },
    });
    await expect(probeCapabilities(client, manifest({}))).rejects.toMatchObject({ code: "NETWORK_ERROR" });
  });
});

describe("CapabilityService", () => {
  const crmApp = manifest({
    scopes: ["crm", "user"],
    requires: { methods: ["crm.deal.list", "user.get"], features: [] },
    optional: { methods: ["tasks.task.list"], features: [] },
  });

  it("stores the probe per tenant and answers can() from the store", async () => {
    const a = await portalWithApp({}, ["crm", "user"]);
    const b = await portalWithApp({ modules: ["tasks", "disk", "im", "telephony"] }, ["crm", "user"]);
    const service = new CapabilityService(temp.store);
    await service.refresh(a.memberId, a.client, crmApp);
    await service.refresh(b.memberId, b.client, crmApp);
    const before = await requests(a.memberId);

    expect(await service.can(a.memberId, "crm.deal.list")).toBe(true);
    expect(await service.can(a.memberId, "CRM.Deal.List")).toBe(true);
    expect(await service.can(b.memberId, "crm.deal.list")).toBe(false);
    // A second service (another process) reads the same record.
    expect(await new CapabilityService(temp.store).can(b.memberId, "user.get")).toBe(true);
    expect(await requests(a.memberId)).toBe(before);

    expect(await service.check(a.memberId, "crm.lead.list")).toMatchObject({
      ok: false,
      probed: false,
      reason: "method_unknown",
    });
    expect(await service.check(a.memberId, "tasks.task.list")).toMatchObject({
      ok: false,
      reason: "scope_missing",
      scope: "task",
    });
    expect(await service.check("0".repeat(32), "crm.deal.list")).toMatchObject({
      ok: false,
      reason: "not_probed",
    });
  });

  it("explains a portal without CRM in plain words, and the page fragment shows them", async () => {
    const { memberId, client } = await portalWithApp({ modules: ["tasks", "disk", "im", "telephony"] }, [
      "crm",
      "user",
    ]);
    const service = new CapabilityService(temp.store);
    await service.refresh(memberId, client, crmApp);
    const explanation = await service.explain(memberId);
    expect(explanation.ready).toBe(false);
    expect(explanation.missing[0]).toMatchObject({
      kind: "method",
      name: "crm.deal.list",
      required: true,
      reason: "module_off",
      module: "CRM",
      userText: "This app needs CRM, which is not available in your Bitrix24.",
    });
    expect(explanation.missing[0]!.adminHint).toMatch(/Turn on CRM/);
    const html = capabilityNotice(explanation);
    expect(html).toContain("This app needs CRM, which is not available in your Bitrix24.");
    expect(html).toContain("Turn on CRM in your Bitrix24 settings");
    expect(html).not.toMatch(/ERROR_METHOD_NOT_FOUND|404|<script|https?:/);
  });

  it("names the missing scope for an app installed without it", async () => {
    const { memberId, client } = await portalWithApp({}, ["user"]);
    const service = new CapabilityService(temp.store);
    await service.refresh(memberId, client, crmApp);
    const { missing } = await service.explain(memberId);
    const deal = missing.find((g) => g.name === "crm.deal.list");
    expect(deal).toMatchObject({ reason: "scope_missing", scope: "crm", required: true });
    expect(deal!.adminHint).toBe(
      'Reinstall the app and allow access to CRM (permission "crm") when Bitrix24 asks.',
    );
    // The method gap explains the missing scope: it is not listed a second time.
    expect(missing.filter((g) => g.kind === "scope")).toEqual([]);
  });

  it("says the plan has no REST for a free portal", async () => {
    const { memberId, client } = await portalWithApp({ plan: "free" }, ["crm", "user"]);
    const service = new CapabilityService(temp.store);
    await service.refresh(memberId, client, crmApp);
    expect(await service.check(memberId, "user.get")).toMatchObject({ ok: false, reason: "plan" });
    const explanation = await service.explain(memberId);
    expect(explanation.missing).toHaveLength(1);
    const html = capabilityNotice(explanation);
    expect(html).toContain("This app cannot work in your Bitrix24 right now");
    expect(html).toContain("Your Bitrix24 plan does not allow apps to connect to it.");
  });

  it("reports an expired subscription and an unfinished installation to a non-admin", async () => {
    const { memberId, app, client } = await portalWithApp({}, ["crm", "user"]);
    await control(emu).request("PATCH", `portals/${memberId}/apps/${app.clientId}`, {
      paymentRequired: true,
      installed: false,
    });
    const service = new CapabilityService(temp.store);
    await service.refresh(memberId, client, crmApp);
    expect((await service.get(memberId))?.app).toMatchObject({ paymentExpired: true, installed: false });
    const forAdmin = await service.explain(memberId, { userIsAdmin: true });
    const required = (e: CapabilityExplanation) => e.missing.filter((g) => g.required).map((g) => g.reason);
    expect(required(forAdmin)).toEqual(["payment_expired"]);
    const forUser = await service.explain(memberId, { userIsAdmin: false });
    expect(required(forUser)).toEqual(["payment_expired", "not_admin"]);
    expect(capabilityNotice(forUser)).toContain("Renew the app&#39;s subscription in Bitrix24 Market.");
  });

  it("probes again once the record is older than maxAgeMs, one probe for concurrent readers", async () => {
    const { memberId, client } = await portalWithApp({ plan: "standard" }, ["crm", "user"]);
    let now = 1_800_000_000_000;
    let clients = 0;
    const service = new CapabilityService(temp.store, {
      clock: { now: () => now },
      maxAgeMs: 60_000,
      refresher: {
        manifest: parseManifest({
          version: "1",
          scopes: ["crm"],
          requires: { features: ["rest_offline_extended"] },
        }),
        clientFor: () => {
          clients++;
          return client;
        },
      },
    });
    const [first, second] = await Promise.all([service.get(memberId), service.get(memberId)]);
    expect(first).toEqual(second);
    expect(clients).toBe(1);
    expect(await requests(memberId)).toBe(1);
    expect(first?.features.rest_offline_extended?.enabled).toBe(false);

    await control(emu).updatePortal(memberId, { plan: "professional" });
    now += 59_999;
    expect((await service.get(memberId))?.probedAt).toBe(1_800_000_000_000);
    expect(await requests(memberId)).toBe(1);
    now += 1;
    const again = await service.get(memberId);
    expect(again?.probedAt).toBe(now);
    expect(again?.features.rest_offline_extended?.enabled).toBe(true);
    expect(await requests(memberId)).toBe(2);
  });

  it("falls back on the stale record when probing again fails, and fails when there is none", async () => {
    const { memberId, client } = await portalWithApp({}, ["crm", "user"]);
    let now = 1_900_000_000_000;
    let reachable = true;
    let attempts = 0;
    const service = new CapabilityService(temp.store, {
      clock: { now: () => now },
      maxAgeMs: 1000,
      refresher: {
        manifest: crmApp,
        clientFor: (m) => {
          if (m === memberId) attempts++;
          if (!reachable || m !== memberId) throw new Error("no client: tokens gone");
          return client;
        },
      },
    });
    expect(await service.can(memberId, "crm.deal.list")).toBe(true);
    reachable = false;
    now += 5000;
    expect(await service.can(memberId, "crm.deal.list")).toBe(true);
    expect(attempts).toBe(2);
    // A failed attempt pauses automatic probing (default one minute) instead of probing on every call.
    now += 59_999;
    await service.can(memberId, "crm.deal.list");
    expect(attempts).toBe(2);
    now += 1;
    reachable = true;
    expect((await service.get(memberId))?.probedAt).toBe(now);
    expect(attempts).toBe(3);
    await expect(service.can("f".repeat(32), "crm.deal.list")).rejects.toThrow("no client: tokens gone");
  });
});
