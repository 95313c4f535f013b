import type { EmulatorHandle } from "@b24kit/emulator";
import {
  control,
  type HandlerServer,
  handlerServer,
  testEmulator,
  testPortal,
  userToken,
} from "@b24kit/emulator/testing";
import qs from "qs";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { installTestApp } from "./event-handlers.js";
import { appCall, call } from "./helpers.js";

describe("events: event.bind / unbind / get / events / event.test and delivery (docs/protocol.md §7)", () => {
  let emu: EmulatorHandle;
  let memberId: string;
  let endpoint: string;
  let adminHook: string;
  let fast: HandlerServer;
  const servers: HandlerServer[] = [];

  const handler = async (delayMs = 10) => {
    const server = await handlerServer({ delayMs: delayMs });
    servers.push(server);
    return server;
  };

  beforeAll(async () => {
    emu = await testEmulator();
    ({ memberId, clientEndpoint: endpoint, adminWebhookUrl: adminHook } = await testPortal(emu));
    fast = await handler();
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
    await emu.close();
  });

  it("refuses event.bind through a webhook with 403 WRONG_AUTH_TYPE", async () => {
    const res = await call(adminHook, "event.bind", { event: "ONCRMDEALADD", handler: `${fast.url}x` });
    expect(res.status).toBe(403);
    expect(res.body.error).toBe("WRONG_AUTH_TYPE");
  });

  it("binds case-insensitively, upper-cases the name and lists bindings with event.get", async () => {
    const app = await installTestApp(emu, memberId, { scopes: ["crm"] });
    const bound = await appCall(endpoint, app.token, "event.bind", {
      EVENT: "onCrmDealAdd",
      Handler: `${fast.url}deal-add`,
    });
    expect(bound.status).toBe(200);
    expect(bound.body.result).toBe(true);
    const offline = await appCall(endpoint, app.token, "event.bind", {
      event: "ONCRMDEALUPDATE",
      event_type: "offline",
    });
    expect(offline.body.result).toBe(true);
    const got = await appCall(endpoint, app.token, "event.get");
    expect(got.body.result).toEqual([
      { event: "ONCRMDEALADD", handler: `${fast.url}deal-add`, auth_type: "0", offline: 0 },
      { event: "ONCRMDEALUPDATE", handler: "", auth_type: "0", offline: 1 },
    ]);
    const ids = (await control(emu).send("GET", `portals/${memberId}/apps/${app.clientId}`)).body.events.map(
      (b: any) => b.id,
    );
    expect(new Set(ids).size).toBe(2);
  });

  it("validates event.bind as the portal does (§7.2 errors)", async () => {
    const app = await installTestApp(emu, memberId, { scopes: ["crm"] });
    const bind = (params: Record<string, unknown>) => appCall(endpoint, app.token, "event.bind", params);

    const unknown = await bind({ event: "ONNOSUCHEVENT", handler: `${fast.url}a` });
    expect([unknown.status, unknown.body.error, unknown.body.error_description]).toEqual([
      400,
      "ERROR_EVENT_NOT_FOUND",
      "Event not found",
    ]);
    // ONTASKADD exists, but not in a crm-only app's scope.
    expect((await bind({ event: "ONTASKADD", handler: `${fast.url}a` })).body.error).toBe(
      "ERROR_EVENT_NOT_FOUND",
    );
    expect((await bind({ handler: `${fast.url}a` })).body.error).toBe("ERROR_ARGUMENT");
    const noHandler = await bind({ event: "ONCRMDEALADD" });
    expect([noHandler.status, noHandler.body.error]).toEqual([400, "ERROR_ARGUMENT"]);
    expect(
      (await bind({ event: "ONCRMDEALADD", handler: `${fast.url}a`, event_type: "sometimes" })).body.error,
    ).toBe("ERROR_ARGUMENT");
    expect((await bind({ event: "ONAPPINSTALL", event_type: "offline" })).body.error).toBe("ERROR_ARGUMENT");
    for (const url of ["http://localhost:3000/hook", "not a url", "https:///path"]) {
      const res = await bind({ event: "ONCRMDEALADD", handler: url });
      expect([res.status, res.body.error]).toEqual([400, "ERROR_WRONG_HANDLER_URL"]);
    }
    const ftp = await bind({ event: "ONCRMDEALADD", handler: "ftp://files.example.test/hook" });
    expect([ftp.status, ftp.body.error]).toEqual([400, "ERROR_UNSUPPORTED_PROTOCOL"]);

    expect((await bind({ event: "ONCRMDEALADD", handler: `${fast.url}dup` })).body.result).toBe(true);
    const dup = await bind({ event: "oncrmdealadd", handler: `${fast.url}dup` });
    expect([dup.status, dup.body.error, dup.body.error_description]).toEqual([
      400,
      "ERROR_CORE",
      "Unable to set event handler: Handler already binded",
    ]);

    await control(emu).send("PATCH", "settings", { requireHttpsHandlers: true });
    try {
      const http = await bind({ event: "ONCRMDEALDELETE", handler: `${fast.url}plain` });
      expect([http.status, http.body.error]).toEqual([400, "ERROR_UNSUPPORTED_PROTOCOL"]);
    } finally {
      await control(emu).send("PATCH", "settings", { requireHttpsHandlers: false });
    }

    await control(emu).send("PATCH", `portals/${memberId}`, { features: { rest_auth_connector: false } });
    try {
      const licence = await bind({ event: "ONCRMDEALUPDATE", event_type: "offline", auth_connector: "sync" });
      expect([licence.status, licence.body.error]).toEqual([403, "WRONG_LICENSE"]);
    } finally {
      await control(emu).send("PATCH", `portals/${memberId}`, { features: { rest_auth_connector: true } });
    }
  });

  it("lets non-admins bind only their own online events", async () => {
    const app = await installTestApp(emu, memberId, { scopes: ["crm"] });
    const user = (await control(emu).send("POST", `portals/${memberId}/users`, { NAME: "Mia" })).body.user;
    const token = (await userToken(emu, memberId, app.clientId, user.ID)).access_token;

    const offline = await appCall(endpoint, token, "event.bind", {
      event: "ONCRMDEALADD",
      event_type: "offline",
    });
    expect([offline.status, offline.body.error]).toEqual([403, "ACCESS_DENIED"]);
    const other = await appCall(endpoint, token, "event.bind", {
      event: "ONCRMDEALADD",
      handler: `${fast.url}mine`,
      auth_type: 1,
    });
    expect([other.status, other.body.error]).toEqual([403, "ACCESS_DENIED"]);
    expect(
      (await appCall(endpoint, token, "event.bind", { event: "ONCRMDEALADD", handler: `${fast.url}mine` }))
        .body.result,
    ).toBe(true);
    await appCall(endpoint, app.token, "event.bind", { event: "ONCRMDEALADD", handler: `${fast.url}admins` });

    const mine = await appCall(endpoint, token, "event.get");
    expect(mine.body.result).toEqual([
      { event: "ONCRMDEALADD", handler: `${fast.url}mine`, auth_type: String(user.ID), offline: 0 },
    ]);
    expect((await appCall(endpoint, app.token, "event.get")).body.result).toHaveLength(2);
  });

  it("unbinds by event and handler (auth_type narrowing) and reports the count", async () => {
    const app = await installTestApp(emu, memberId, { scopes: ["crm"] });
    const bind = (params: Record<string, unknown>) => appCall(endpoint, app.token, "event.bind", params);
    await bind({ event: "ONCRMDEALUPDATE", handler: `${fast.url}u1` });
    await bind({ event: "ONCRMDEALUPDATE", handler: `${fast.url}u2` });
    await bind({ event: "ONCRMDEALUPDATE", handler: `${fast.url}u3`, auth_type: 1 });
    await bind({ event: "ONCRMDEALADD", handler: `${fast.url}a1` });
    await bind({ event: "ONCRMDEALADD", event_type: "offline" });
    const unbind = (params: Record<string, unknown>) => appCall(endpoint, app.token, "event.unbind", params);

    expect((await unbind({ event: "ONCRMDEALUPDATE", handler: `${fast.url}u1` })).body.result).toEqual({
      count: 1,
    });
    // auth_type=0: only the handlers bound without a user; the user's one stays.
    const u3 = { event: "ONCRMDEALUPDATE", handler: `${fast.url}u3` };
    expect((await unbind({ ...u3, auth_type: 0 })).body.result).toEqual({ count: 0 });
    expect((await unbind({ event: "onCrmDealUpdate", handler: `${fast.url}u2` })).body.result).toEqual({
      count: 1,
    });
    expect((await unbind(u3)).body.result).toEqual({ count: 1 });
    expect((await unbind(u3)).body.result).toEqual({ count: 0 });
    // event and handler are required (event-unbind.md's table); offline bindings have no handler.
    const missingEvent = await unbind({ handler: `${fast.url}a1` });
    expect([missingEvent.status, missingEvent.body.error]).toEqual([400, "ERROR_ARGUMENT"]);
    const missingHandler = await unbind({ event: "ONCRMDEALADD" });
    expect([missingHandler.status, missingHandler.body.error]).toEqual([400, "ERROR_ARGUMENT"]);
    expect((await unbind({ event: "ONCRMDEALADD", handler: `${fast.url}a1` })).body.result).toEqual({
      count: 1,
    });
    expect((await unbind({ event: "ONCRMDEALADD", event_type: "offline" })).body.result).toEqual({
      count: 1,
    });
    expect((await appCall(endpoint, app.token, "event.get")).body.result).toEqual([]);
  });

  it("lists available events with `events` (scope, SCOPE, FULL)", async () => {
    const app = await installTestApp(emu, memberId, { scopes: ["crm"] });
    const own = (await appCall(endpoint, app.token, "events")).body.result as string[];
    expect(own).toEqual(
      expect.arrayContaining(["ONCRMDEALADD", "ONCRMLEADUPDATE", "ONAPPINSTALL", "ONOFFLINEEVENT"]),
    );
    expect(own).not.toContain("ONTASKADD");
    const tasks = (await appCall(endpoint, app.token, "events", { SCOPE: "task" })).body.result as string[];
    expect(tasks).toContain("ONTASKADD");
    expect(tasks).not.toContain("ONCRMDEALADD");
    const full = (await appCall(endpoint, app.token, "events", { FULL: true })).body.result as string[];
    expect(full).toEqual(
      expect.arrayContaining(["ONTASKADD", "ONUSERADD", "ONCRMDEALADD", "ONIMBOTJOINCHAT"]),
    );
  });

  it("POSTs the §7.5 form body: tokens of the triggering user, none for automation", async () => {
    const app = await installTestApp(emu, memberId, { scopes: ["crm", "user"] });
    const server = await handler();
    await appCall(endpoint, app.token, "event.bind", {
      event: "ONCRMCOMPANYADD",
      handler: `${server.url}company`,
    });
    const bindingId = (await control(emu).send("GET", `portals/${memberId}/apps/${app.clientId}`)).body
      .events[0].id;

    // A user change: user 2 through their own webhook.
    const user = (await control(emu).send("POST", `portals/${memberId}/users`, { NAME: "Ivo" })).body;
    const added = await call(user.webhookUrl, "crm.company.add", { fields: { TITLE: "Acme" } });
    expect(added.status).toBe(200);
    await control(emu).eventsIdle();
    expect(server.requests).toHaveLength(1);
    const first = server.requests[0]!;
    expect(first.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(first.path).toBe("/company");
    // Nested keys in PHP bracket form, as a real portal sends them.
    expect(first.raw).toContain(`event=ONCRMCOMPANYADD`);
    expect(first.raw).toContain(`data%5BFIELDS%5D%5BID%5D=${added.body.result}`);
    expect(first.raw).toContain(`auth%5Bapplication_token%5D=${app.applicationToken}`);
    const body = qs.parse(first.raw) as Record<string, any>;
    expect(Object.keys(body)).toEqual(["event", "event_handler_id", "data", "ts", "auth"]);
    expect(body.event).toBe("ONCRMCOMPANYADD");
    expect(body.event_handler_id).toBe(String(bindingId));
    expect(body.data).toEqual({ FIELDS: { ID: String(added.body.result) } });
    expect(Math.abs(Number(body.ts) - Date.now() / 1000)).toBeLessThan(60);
    expect(body.auth).toMatchObject({
      expires_in: "3600",
      scope: "crm,user",
      domain: new URL(endpoint).host,
      server_endpoint: `${emu.authUrl}rest/`,
      status: "L",
      client_endpoint: endpoint,
      member_id: memberId,
      user_id: String(user.user.ID),
      application_token: app.applicationToken,
    });
    expect(body.auth.access_token).toMatch(/^[0-9a-f]{70}$/);
    expect(body.auth.refresh_token).toBeUndefined();
    // The token is the triggering user's and works.
    const me = await appCall(endpoint, body.auth.access_token, "user.current");
    expect(me.body.result).toMatchObject({ ID: String(user.user.ID) });

    // The same change by the portal itself (automation): no tokens at all.
    const auto = await control(emu).send("POST", `portals/${memberId}/automation`, {
      method: "crm.company.add",
      params: { fields: { TITLE: "Robot Co" } },
    });
    expect(auto.status).toBe(200);
    await control(emu).eventsIdle();
    expect(server.requests).toHaveLength(2);
    const robot = qs.parse(server.requests[1]!.raw) as Record<string, any>;
    expect(robot.data).toEqual({ FIELDS: { ID: String(auto.body.result) } });
    expect(robot.auth).toEqual({
      domain: new URL(endpoint).host,
      client_endpoint: endpoint,
      server_endpoint: `${emu.authUrl}rest/`,
      member_id: memberId,
      application_token: app.applicationToken,
      scope: "crm,user",
      status: "L",
    });
    for (const key of ["access_token", "refresh_token", "expires_in", "user_id"])
      expect(robot.auth).not.toHaveProperty(key);

    const log = await control(emu).send(
      "GET",
      `portals/${memberId}/deliveries?clientId=${app.clientId}&event=onCrmCompanyAdd`,
    );
    expect(log.body.deliveries).toHaveLength(2);
    expect(log.body.deliveries[1]).toMatchObject({
      outcome: "ok",
      status: 200,
      unbound: false,
      event: "ONCRMCOMPANYADD",
    });
    expect(log.body.deliveries[1].body).toBe(server.requests[1]!.raw);
  });

  it("by default a failing handler keeps its binding: failures are logged, never retried (api-reference/events/index.md)", async () => {
    const app = await installTestApp(emu, memberId, { scopes: ["crm"] });
    const failing = await handlerServer({ answer: () => ({ status: 500, body: "down" }) });
    servers.push(failing);
    await appCall(endpoint, app.token, "event.bind", {
      event: "ONCRMLEADADD",
      handler: `${failing.url}down`,
    });
    for (let i = 0; i < 4; i++) await call(adminHook, "crm.lead.add", { fields: { TITLE: `Lead ${i}` } });
    await control(emu).eventsIdle();
    // One POST per event: nothing retried.
    expect(failing.of("ONCRMLEADADD")).toHaveLength(4);
    const log = (await control(emu).send("GET", `portals/${memberId}/deliveries?clientId=${app.clientId}`))
      .body.deliveries as any[];
    expect(log.map((d) => [d.outcome, d.status, d.unbound])).toEqual(
      Array(4).fill(["http_error", 500, false]),
    );
    const bound = (await appCall(endpoint, app.token, "event.get")).body.result as any[];
    expect(bound.map((b) => b.handler)).toEqual([`${failing.url}down`]);
  });

  it("strict mode (an option): a 6 s handler fails and is unbound after three events, a 10 ms one gets them all", async () => {
    await control(emu).send("PATCH", "settings", { strictEventDelivery: true });
    onTestFinished(async () => {
      await control(emu).send("PATCH", "settings", { strictEventDelivery: false });
    });
    const app = await installTestApp(emu, memberId, { scopes: ["crm"] });
    const slow = await handler(6000);
    const quick = await handler(10);
    await appCall(endpoint, app.token, "event.bind", {
      event: "ONCRMCONTACTADD",
      handler: `${slow.url}slow`,
    });
    await appCall(endpoint, app.token, "event.bind", {
      event: "ONCRMCONTACTADD",
      handler: `${quick.url}quick`,
    });

    // Three events at once: the three deliveries to the slow handler wait together, not one after
    // another — all three reach it before the first has given up.
    await Promise.all(
      [1, 2, 3].map((i) => call(adminHook, "crm.contact.add", { fields: { NAME: `Slow ${i}` } })),
    );
    await slow.waitFor((r) => r.body.event === "ONCRMCONTACTADD", 3);
    const finished = (
      await control(emu).send("GET", `portals/${memberId}/deliveries?clientId=${app.clientId}`)
    ).body.deliveries as any[];
    expect(finished.filter((d) => d.handler === `${slow.url}slow`)).toEqual([]);
    await control(emu).eventsIdle();

    expect(quick.of("ONCRMCONTACTADD")).toHaveLength(3);
    expect(slow.of("ONCRMCONTACTADD")).toHaveLength(3);
    const log = (await control(emu).send("GET", `portals/${memberId}/deliveries?clientId=${app.clientId}`))
      .body.deliveries as any[];
    const slowLog = log.filter((d) => d.handler === `${slow.url}slow`);
    expect(slowLog.map((d) => d.outcome)).toEqual(["timeout", "timeout", "timeout"]);
    expect(slowLog.map((d) => d.unbound)).toEqual([false, false, true]);
    expect(log.filter((d) => d.handler === `${quick.url}quick`).every((d) => d.outcome === "ok")).toBe(true);

    const left = (await appCall(endpoint, app.token, "event.get")).body.result as any[];
    expect(left.map((b) => b.handler)).toEqual([`${quick.url}quick`]);

    await call(adminHook, "crm.contact.add", { fields: { NAME: "After" } });
    await control(emu).eventsIdle();
    expect(quick.of("ONCRMCONTACTADD")).toHaveLength(4);
    expect(slow.of("ONCRMCONTACTADD")).toHaveLength(3);
  }, 20_000);

  it("event.test sends ONAPPTEST with the call's parameters under data[QUERY] and returns 1", async () => {
    const app = await installTestApp(emu, memberId, { scopes: ["crm"] });
    const server = await handler();
    await appCall(endpoint, app.token, "event.bind", { event: "onAppTest", handler: `${server.url}test` });
    const res = await appCall(endpoint, app.token, "event.test", { any: "thing", nested: { a: 1 } });
    expect(res.body.result).toBe(1);
    await control(emu).eventsIdle();
    const body = server.of("ONAPPTEST")[0]!.body;
    expect(body.data).toEqual({ QUERY: { any: "thing", nested: { a: "1" } }, LANGUAGE_ID: "en" });
    expect(body.auth.user_id).toBe("1");
    expect(body.auth.application_token).toBe(app.applicationToken);
    const hook = await call(adminHook, "event.test", {});
    expect([hook.status, hook.body.error]).toEqual([403, "WRONG_AUTH_TYPE"]);
  });
});
