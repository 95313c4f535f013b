import type { EmulatorHandle } from "@b24kit/emulator";
import {
  control,
  type HandlerServer,
  handlerServer,
  testEmulator,
  testPortal,
} from "@b24kit/emulator/testing";
import qs from "qs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installTestApp } from "./event-handlers.js";
import { appCall, call } from "./helpers.js";

describe("app lifecycle events: ONAPPINSTALL / ONAPPUPDATE / ONAPPUNINSTALL (docs/protocol.md §2)", () => {
  let emu: EmulatorHandle;
  let memberId: string;
  let endpoint: string;
  let adminHook: string;
  let server: HandlerServer;

  beforeAll(async () => {
    emu = await testEmulator();
    ({ memberId, clientEndpoint: endpoint, adminWebhookUrl: adminHook } = await testPortal(emu));
    server = await handlerServer({ delayMs: 10 });
  });
  afterAll(async () => {
    await server.close();
    await emu.close();
  });

  const fromPath = (path: string) => server.requests.filter((r) => r.path === path);

  it("POSTs ONAPPINSTALL to a headless app's install handler with the handed-over tokens", async () => {
    const app = await installTestApp(emu, memberId, {
      scopes: ["crm", "placement"],
      installHandlerUrl: `${server.url}install`,
      version: 3,
    });
    expect(app.install.installed).toBe(true);
    await control(emu).eventsIdle();
    const posts = fromPath("/install");
    expect(posts).toHaveLength(1);
    const body = qs.parse(posts[0]!.raw) as Record<string, any>;
    expect(body.event).toBe("ONAPPINSTALL");
    expect(body.event_handler_id).toBeUndefined();
    expect(body.data).toEqual({ VERSION: "3", ACTIVE: "Y", INSTALLED: "Y", LANGUAGE_ID: "en" });
    expect(body.auth).toMatchObject({
      access_token: app.install.auth.access_token,
      refresh_token: app.install.auth.refresh_token,
      expires_in: "3600",
      scope: "crm,placement",
      domain: new URL(endpoint).host,
      server_endpoint: `${emu.authUrl}rest/`,
      client_endpoint: endpoint,
      member_id: memberId,
      status: "L",
      application_token: app.applicationToken,
    });
    const info = await appCall(endpoint, body.auth.access_token, "app.info");
    expect(info.status).toBe(200);
  });

  it("delivers nothing to an installer app's bindings until install-finish, then ONAPPINSTALL and events", async () => {
    const app = await installTestApp(emu, memberId, {
      scopes: ["crm"],
      installUrl: "https://app.example.test/install",
      appUrl: "https://app.example.test/",
    });
    expect(app.install.installed).toBe(false);
    // The installer binds its handlers before calling installFinish.
    for (const [event, path] of [
      ["ONAPPINSTALL", "gated-install"],
      ["ONCRMLEADADD", "gated-lead"],
    ] as const) {
      const res = await appCall(endpoint, app.token, "event.bind", {
        event,
        handler: `${server.url}${path}`,
      });
      expect(res.body.result).toBe(true);
    }
    await call(adminHook, "crm.lead.add", { fields: { TITLE: "before" } });
    await control(emu).eventsIdle();
    expect(fromPath("/gated-lead")).toHaveLength(0);
    expect(fromPath("/gated-install")).toHaveLength(0);

    const finished = await control(emu).send(
      "POST",
      `portals/${memberId}/apps/${app.clientId}/install-finish`,
    );
    expect(finished.status).toBe(200);
    expect(finished.body.installed).toBe(true);
    await control(emu).eventsIdle();
    const installs = fromPath("/gated-install");
    expect(installs).toHaveLength(1);
    const body = qs.parse(installs[0]!.raw) as Record<string, any>;
    expect(body.data).toEqual({ VERSION: "1", ACTIVE: "Y", INSTALLED: "Y", LANGUAGE_ID: "en" });
    expect(body.event_handler_id).toMatch(/^\d+$/);
    expect(body.auth.refresh_token).toMatch(/^[0-9a-f]{70}$/);
    expect(body.auth.application_token).toBe(app.applicationToken);
    // The event that happened before completion is lost; later ones arrive.
    await call(adminHook, "crm.lead.add", { fields: { TITLE: "after" } });
    await control(emu).eventsIdle();
    expect(fromPath("/gated-lead")).toHaveLength(1);
    // A second installFinish changes nothing.
    await control(emu).send("POST", `portals/${memberId}/apps/${app.clientId}/install-finish`);
    await control(emu).eventsIdle();
    expect(fromPath("/gated-install")).toHaveLength(1);
    expect(
      (await control(emu).send("POST", `portals/${memberId}/apps/local.nope.1/install-finish`)).status,
    ).toBe(404);
  });

  it("sends ONAPPUPDATE with a new application_token and removes every binding", async () => {
    const app = await installTestApp(emu, memberId, { scopes: ["crm"] });
    await appCall(endpoint, app.token, "event.bind", {
      event: "ONAPPUPDATE",
      handler: `${server.url}update`,
    });
    await appCall(endpoint, app.token, "event.bind", {
      event: "ONCRMDEALADD",
      handler: `${server.url}upd-deal`,
    });
    const updated = await control(emu).send("POST", `portals/${memberId}/apps/${app.clientId}/update`, {
      version: 2,
    });
    expect(updated.status).toBe(200);
    expect(updated.body.version).toBe(2);
    expect(updated.body.events).toEqual([]);
    const newToken = updated.body.applicationToken as string;
    expect(newToken).toMatch(/^[0-9a-f]{32}$/);
    expect(newToken).not.toBe(app.applicationToken);
    await control(emu).eventsIdle();

    const posts = fromPath("/update");
    expect(posts).toHaveLength(1);
    const body = qs.parse(posts[0]!.raw) as Record<string, any>;
    expect(body.event).toBe("ONAPPUPDATE");
    expect(body.data).toEqual({ VERSION: "2", PREVIOUS_VERSION: "1", LANGUAGE_ID: "en" });
    expect(body.auth.application_token).toBe(newToken);
    expect(body.auth.access_token).toMatch(/^[0-9a-f]{70}$/);
    expect(body.auth.refresh_token).toMatch(/^[0-9a-f]{70}$/);

    expect((await appCall(endpoint, app.token, "event.get")).body.result).toEqual([]);
    await call(adminHook, "crm.deal.add", { fields: { TITLE: "after update" } });
    await control(emu).eventsIdle();
    expect(fromPath("/upd-deal")).toHaveLength(0);
  });

  it("sends ONAPPUNINSTALL without tokens and with CLEAN, then revokes access", async () => {
    const market = await installTestApp(emu, memberId, { scopes: ["crm"], local: false });
    await appCall(endpoint, market.token, "event.bind", {
      event: "ONAPPUNINSTALL",
      handler: `${server.url}bye`,
    });
    await appCall(endpoint, market.token, "app.option.set", { options: { keep: "me" } });

    const removed = await control(emu).send("DELETE", `portals/${memberId}/apps/${market.clientId}`);
    expect(removed.status).toBe(200);
    expect(removed.body).toMatchObject({ uninstalled: true, clean: false, installed: false });
    await control(emu).eventsIdle();
    const body = qs.parse(fromPath("/bye")[0]!.raw) as Record<string, any>;
    expect(body.event).toBe("ONAPPUNINSTALL");
    expect(body.data).toEqual({ LANGUAGE_ID: "en", CLEAN: "0" });
    expect(body.auth).toEqual({
      domain: new URL(endpoint).host,
      server_endpoint: `${emu.authUrl}rest/`,
      client_endpoint: endpoint,
      member_id: memberId,
      application_token: market.applicationToken,
    });
    const revoked = await appCall(endpoint, market.token, "app.info");
    expect(revoked.status).toBe(401);
    // A market app keeps its options unless CLEAN.
    expect(
      (await control(emu).send("GET", `portals/${memberId}/apps/${market.clientId}`)).body.options,
    ).toEqual({
      keep: "me",
    });

    const again = await control(emu).send("POST", `portals/${memberId}/install`, {
      clientId: market.clientId,
    });
    const token = again.body.auth.access_token;
    expect((await appCall(endpoint, token, "app.option.get", { option: "keep" })).body.result).toBe("me");
    await appCall(endpoint, token, "event.bind", {
      event: "ONAPPUNINSTALL",
      handler: `${server.url}bye-clean`,
    });
    await control(emu).send("DELETE", `portals/${memberId}/apps/${market.clientId}?clean=1`);
    await control(emu).eventsIdle();
    const clean = qs.parse(fromPath("/bye-clean")[0]!.raw) as Record<string, any>;
    expect(clean.data).toEqual({ LANGUAGE_ID: "en", CLEAN: "1" });
    expect(clean.auth.application_token).toBe(again.body.applicationToken);
    expect(clean.auth.access_token).toBeUndefined();
    expect(
      (await control(emu).send("GET", `portals/${memberId}/apps/${market.clientId}`)).body.options,
    ).toEqual({});
    expect((await control(emu).send("DELETE", `portals/${memberId}/apps/${market.clientId}`)).status).toBe(
      404,
    );
  });

  it("runs automation as the portal itself and passes method errors through", async () => {
    const ok = await control(emu).send("POST", `portals/${memberId}/automation`, {
      method: "crm.deal.add",
      params: { fields: { TITLE: "robot" } },
    });
    expect(ok.status).toBe(200);
    expect(Number(ok.body.result)).toBeGreaterThan(0);
    const missing = await control(emu).send("POST", `portals/${memberId}/automation`, {
      method: "no.such.method",
    });
    expect([missing.status, missing.body.error]).toEqual([404, "ERROR_METHOD_NOT_FOUND"]);
    expect((await control(emu).send("POST", `portals/${memberId}/automation`, {})).status).toBe(400);
  });

  it("removes an app's bots when it is uninstalled", async () => {
    const app = await installTestApp(emu, memberId, { scopes: ["imbot", "im"] });
    const botId = await appCall(endpoint, app.token, "imbot.register", {
      CODE: "lifecycle_bot",
      EVENT_HANDLER: `${server.url}bot`,
      PROPERTIES: { NAME: "Lifecycle bot" },
    });
    const usersBefore = (await control(emu).send("GET", `portals/${memberId}`)).body.users as Array<{
      ID: number;
    }>;
    expect(usersBefore.some((u) => u.ID === Number(botId.body.result))).toBe(true);
    await control(emu).send("DELETE", `portals/${memberId}/apps/${app.clientId}`);
    const usersAfter = (await control(emu).send("GET", `portals/${memberId}`)).body.users as Array<{
      ID: number;
    }>;
    expect(usersAfter.some((u) => u.ID === Number(botId.body.result))).toBe(false);
  });
});
