import {
  appPageRequest,
  encodePortalForm,
  eventRequest,
  FakeClock,
  FOREIGN_DOMAIN,
  installEventRequest,
  manyKeys,
  oversizedBody,
  placementRequest,
  uninstallEventRequest,
} from "@b24kit/app/testing";
import { control, testEmulator, testPortal, waitFor } from "@b24kit/emulator/testing";
import qs from "qs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startApp } from "./app-harness.js";

// The request builders of @b24kit/app/testing: the wire format (docs/protocol.md §7.5, §2.2), then
// the runtime's own answers to them, over app.fetch and over HTTP against the emulator.

/** The runtime's qs limits (inbound/read-body.ts): the shape handlers read. */
const RUNTIME_QS = { depth: 10, arrayLimit: 1000, parameterLimit: 5000, allowPrototypes: false } as const;

const MEMBER = "0123456789abcdef0123456789abcdef";

/** The body's `key=value` pairs, decoded, in order. */
async function pairs(request: Request): Promise<Array<[string, string]>> {
  return [...new URLSearchParams(await request.text())];
}

async function form(request: Request): Promise<Record<string, any>> {
  return qs.parse(await request.text(), RUNTIME_QS);
}

describe("encodePortalForm: PHP's http_build_query", () => {
  it("writes nested maps with encoded brackets", () => {
    expect(encodePortalForm({ event: "ONCRMDEALADD", data: { FIELDS: { ID: 42 } }, ts: 1700000000 })).toBe(
      "event=ONCRMDEALADD&data%5BFIELDS%5D%5BID%5D=42&ts=1700000000",
    );
  });

  it("writes lists with indices, nested ones too", () => {
    expect(encodePortalForm({ ids: [1, 2], nested: { list: ["a", "b c"], deep: [{ x: 1 }] } })).toBe(
      "ids%5B0%5D=1&ids%5B1%5D=2&nested%5Blist%5D%5B0%5D=a&nested%5Blist%5D%5B1%5D=b+c&nested%5Bdeep%5D%5B0%5D%5Bx%5D=1",
    );
  });

  it("writes booleans as 1 and 0, leaves out nulls and empty lists and maps, keeps empty strings", () => {
    expect(
      encodePortalForm({ a: true, b: false, c: null, d: undefined, e: [], f: {}, g: "", h: [null, "x"] }),
    ).toBe("a=1&b=0&g=&h%5B1%5D=x");
  });

  it("encodes like urlencode: + for spaces, and !'()*~ too, unlike encodeURIComponent", () => {
    expect(encodePortalForm({ q: "a b&c=d+e/f?g~h*i!j'k(l)m-n_o.p" })).toBe(
      "q=a+b%26c%3Dd%2Be%2Ff%3Fg%7Eh%2Ai%21j%27k%28l%29m-n_o.p",
    );
    expect(encodePortalForm({ "a b": { "c[d": 1 } })).toBe("a+b%5Bc%5Bd%5D=1");
  });

  it("percent-encodes unicode as UTF-8 bytes", () => {
    expect(encodePortalForm({ name: "Сделка №1 😀" })).toBe(
      "name=%D0%A1%D0%B4%D0%B5%D0%BB%D0%BA%D0%B0+%E2%84%961+%F0%9F%98%80",
    );
  });

  it("refuses values PHP has no form for", () => {
    expect(() => encodePortalForm({ at: new Date(0) })).toThrow(TypeError);
  });

  it("round-trips through qs into the shape the runtime reads (strings all the way down)", () => {
    const value = {
      event: "ONCRMDEALUPDATE",
      data: { FIELDS: { ID: 7, TITLE: "Café & Co / 50%", TAGS: ["a", "b c"] }, FLAG: true, NONE: null },
      auth: { member_id: MEMBER, application_token: "t0k" },
    };
    expect(qs.parse(encodePortalForm(value), RUNTIME_QS)).toEqual({
      event: "ONCRMDEALUPDATE",
      data: { FIELDS: { ID: "7", TITLE: "Café & Co / 50%", TAGS: ["a", "b c"] }, FLAG: "1" },
      auth: { member_id: MEMBER, application_token: "t0k" },
    });
  });
});

describe("the builders' requests", () => {
  it("eventRequest: the portal's POST to {appUrl}b24/events, fields in the portal's order", async () => {
    const clock = new FakeClock(1_700_000_000_500);
    const request = eventRequest({
      appUrl: "https://app.example.com",
      event: "ONCRMDEALADD",
      data: { FIELDS: { ID: 42 } },
      memberId: MEMBER,
      applicationToken: "app-token-1",
      domain: "acme.bitrix24.com",
      userId: 5,
      clock,
      accessToken: "access-1",
      refreshToken: "refresh-1",
    });
    expect(request.method).toBe("POST");
    expect(request.url).toBe("https://app.example.com/b24/events");
    expect(request.headers.get("content-type")).toBe("application/x-www-form-urlencoded");
    expect(await pairs(request)).toEqual([
      ["event", "ONCRMDEALADD"],
      ["event_handler_id", "1"],
      ["data[FIELDS][ID]", "42"],
      ["ts", "1700000000"],
      ["auth[access_token]", "access-1"],
      ["auth[expires]", "1700003600"],
      ["auth[expires_in]", "3600"],
      ["auth[scope]", "crm"],
      ["auth[domain]", "acme.bitrix24.com"],
      ["auth[server_endpoint]", "https://oauth.bitrix.info/rest/"],
      ["auth[status]", "F"],
      ["auth[client_endpoint]", "https://acme.bitrix24.com/rest/"],
      ["auth[member_id]", MEMBER],
      ["auth[user_id]", "5"],
      ["auth[refresh_token]", "refresh-1"],
      ["auth[application_token]", "app-token-1"],
    ]);
  });

  it("eventRequest: the app's URL with or without its slash, a path of one's own, auth without tokens, overrides", async () => {
    const base = { event: "ONTASKADD", memberId: MEMBER, withTokens: false, ts: 5 } as const;
    expect(eventRequest({ ...base, appUrl: "https://h.example/sub" }).url).toBe(
      "https://h.example/sub/b24/events",
    );
    expect(eventRequest({ ...base, appUrl: "https://h.example/sub/" }).url).toBe(
      "https://h.example/sub/b24/events",
    );
    expect(eventRequest({ ...base, appUrl: "https://h.example/", path: "/hooks/b24" }).url).toBe(
      "https://h.example/hooks/b24",
    );
    const body = await form(
      eventRequest({
        ...base,
        appUrl: "https://h.example/",
        handlerId: null,
        scope: ["crm", "task"],
        auth: { status: null, member_id: "fedcba9876543210fedcba9876543210" },
      }),
    );
    expect(body.event_handler_id).toBeUndefined();
    expect(body.ts).toBe("5");
    expect(Object.keys(body.auth)).toEqual([
      "scope",
      "domain",
      "server_endpoint",
      "client_endpoint",
      "member_id",
      "application_token",
    ]);
    expect(body.auth.scope).toBe("crm,task");
    expect(body.auth.member_id).toBe("fedcba9876543210fedcba9876543210");
    expect(body.auth.application_token).toMatch(/^[0-9a-f]{32}$/);
  });

  it("installEventRequest and uninstallEventRequest: the lifecycle events' data and auth", async () => {
    const install = await form(
      installEventRequest({ appUrl: "https://a.example/", memberId: MEMBER, version: "3", languageId: "de" }),
    );
    expect(install.event).toBe("ONAPPINSTALL");
    expect(install.data).toEqual({ VERSION: "3", ACTIVE: "Y", INSTALLED: "Y", LANGUAGE_ID: "de" });
    expect(install.auth).toMatchObject({
      access_token: expect.any(String),
      refresh_token: expect.any(String),
    });
    const uninstall = await form(
      uninstallEventRequest({
        appUrl: "https://a.example/",
        memberId: MEMBER,
        applicationToken: "t",
        clean: true,
      }),
    );
    expect(uninstall.event).toBe("ONAPPUNINSTALL");
    expect(uninstall.data).toEqual({ LANGUAGE_ID: "en", CLEAN: "1" });
    expect(Object.keys(uninstall.auth)).toEqual([
      "domain",
      "server_endpoint",
      "client_endpoint",
      "member_id",
      "application_token",
    ]);
  });

  it("placementRequest: DOMAIN, PROTOCOL, LANG, APP_SID in the query, the frame's fields in the body", async () => {
    const request = placementRequest({
      appUrl: "https://app.example.com/",
      placement: "CRM_DEAL_DETAIL_TAB",
      memberId: MEMBER,
      domain: "acme.bitrix24.com",
      appSid: "sid1",
      accessToken: "access-1",
      refreshToken: "refresh-1",
      applicationToken: "app-token-1",
      placementOptions: { ID: 42, URI: "/crm/deal/details/42/", OPEN: true },
    });
    const url = new URL(request.url);
    expect(url.pathname).toBe("/b24/placements/CRM_DEAL_DETAIL_TAB");
    expect(url.search).toBe("?DOMAIN=acme.bitrix24.com&PROTOCOL=1&LANG=en&APP_SID=sid1");
    expect(request.headers.get("content-type")).toBe("application/x-www-form-urlencoded");
    expect(await pairs(request)).toEqual([
      ["AUTH_ID", "access-1"],
      ["AUTH_EXPIRES", "3600"],
      ["REFRESH_ID", "refresh-1"],
      ["SERVER_ENDPOINT", "https://oauth.bitrix.info/rest/"],
      ["APPLICATION_TOKEN", "app-token-1"],
      ["APPLICATION_SCOPE", "crm"],
      ["member_id", MEMBER],
      ["status", "F"],
      ["PLACEMENT", "CRM_DEAL_DETAIL_TAB"],
      // A JSON string with string values and escaped slashes, as PHP's json_encode writes it (§2.2.1).
      ["PLACEMENT_OPTIONS", '{"ID":"42","URI":"\\/crm\\/deal\\/details\\/42\\/","OPEN":"true"}'],
    ]);
  });

  it("appPageRequest: PLACEMENT=DEFAULT at b24/app, the installer at the app's URL", async () => {
    const page = appPageRequest({ appUrl: "http://127.0.0.1:3000", memberId: MEMBER, protocol: "http" });
    expect(new URL(page.url).pathname).toBe("/b24/app");
    expect(new URL(page.url).searchParams.get("PROTOCOL")).toBe("0");
    const fields = await form(page);
    expect(fields.PLACEMENT).toBe("DEFAULT");
    expect(fields.PLACEMENT_OPTIONS).toBe("[]");
    expect(fields.APPLICATION_TOKEN).toBeUndefined();
    const installer = appPageRequest({ appUrl: "http://127.0.0.1:3000", memberId: MEMBER, install: true });
    expect(new URL(installer.url).pathname).toBe("/");
  });

  it("tamper: each fault where the runtime looks for it", async () => {
    const event = {
      appUrl: "https://a.example/",
      event: "ONCRMDEALADD",
      memberId: MEMBER,
      applicationToken: "t",
    };
    expect(
      (await form(eventRequest({ ...event, tamper: "wrong-application-token" }))).auth.application_token,
    ).not.toBe("t");
    expect((await form(eventRequest({ ...event, tamper: "no-member-id" }))).auth.member_id).toBeUndefined();
    expect((await form(eventRequest({ ...event, tamper: "malformed-nesting" }))).auth.member_id).toEqual([
      MEMBER,
    ]);
    expect((await form(eventRequest({ ...event, tamper: "foreign-domain" }))).auth).toMatchObject({
      domain: FOREIGN_DOMAIN,
      client_endpoint: `https://${FOREIGN_DOMAIN}/rest/`,
    });
    const big = await eventRequest({ ...event, tamper: oversizedBody(300_000) }).text();
    expect(big.length).toBeGreaterThanOrEqual(300_000);
    expect(big.length).toBeLessThan(300_100);
    expect((await eventRequest({ ...event, tamper: manyKeys(6000) }).text()).split("&")).toHaveLength(6000);
    const frame = { appUrl: "https://a.example/", memberId: MEMBER, domain: "acme.bitrix24.com" };
    expect(
      new URL(placementRequest({ ...frame, placement: "X", tamper: "foreign-domain" }).url).searchParams.get(
        "DOMAIN",
      ),
    ).toBe(FOREIGN_DOMAIN);
    expect((await form(appPageRequest({ ...frame, tamper: "malformed-nesting" }))).member_id).toEqual([
      MEMBER,
    ]);
  });
});

describe("the runtime's answers", () => {
  let emu: Awaited<ReturnType<typeof testEmulator>>;
  let h: Harness;
  beforeAll(async () => {
    emu = await testEmulator();
    h = await startApp(emu, {
      registration: (url) => ({ installHandlerUrl: `${url}b24/install` }),
      manifest: { version: "1", scopes: ["crm"], events: [{ event: "ONCRMDEALADD" }] },
    });
  });
  afterAll(async () => {
    await h?.close();
    await emu?.close();
  });

  const unknownPortal = () => ({ appUrl: h.publicUrl, memberId: MEMBER });

  it("refuses an event from a portal it does not know (401), and every broken one", async () => {
    const event = { ...unknownPortal(), event: "ONCRMDEALADD", data: { FIELDS: { ID: 1 } } };
    const answer = async (request: Request) => {
      const response = await h.app.fetch(request);
      return { status: response.status, error: ((await response.json()) as { error: string }).error };
    };
    expect(await answer(eventRequest(event))).toEqual({ status: 401, error: "APPLICATION_TOKEN_MISMATCH" });
    expect(await answer(eventRequest({ ...event, tamper: "no-member-id" }))).toEqual({
      status: 400,
      error: "EVENT_MALFORMED",
    });
    expect(await answer(eventRequest({ ...event, tamper: "malformed-nesting" }))).toEqual({
      status: 400,
      error: "EVENT_MALFORMED",
    });
    expect(await answer(eventRequest({ ...event, tamper: oversizedBody(300_000) }))).toEqual({
      status: 413,
      error: "PAYLOAD_TOO_LARGE",
    });
    expect(await answer(eventRequest({ ...event, tamper: manyKeys(6000) }))).toEqual({
      status: 400,
      error: "BAD_REQUEST",
    });
    // A frame from a portal never seen is confirmed through the OAuth server, which knows no such refresh token.
    expect(await answer(placementRequest({ ...unknownPortal(), placement: "CRM_DEAL_DETAIL_TAB" }))).toEqual({
      status: 403,
      error: "PORTAL_UNCONFIRMED",
    });
    expect(await answer(appPageRequest({ ...unknownPortal(), tamper: "no-member-id" }))).toEqual({
      status: 400,
      error: "FRAME_MEMBER_INVALID",
    });
  });

  it("takes an event signed with the installation's application_token, refuses a wrong one, then the uninstall", async () => {
    const portal = await testPortal(emu);
    const api = control(emu);
    await api.install(portal.memberId, h.clientId);
    await waitFor(async () => (await h.app.tenants.get(portal.memberId))?.state === "active");
    const { applicationToken } = await api.request<{ applicationToken: string }>(
      "GET",
      `portals/${portal.memberId}/apps/${h.clientId}`,
    );
    const event = {
      appUrl: h.publicUrl,
      event: "ONCRMDEALADD",
      data: { FIELDS: { ID: 42 } },
      memberId: portal.memberId,
      domain: portal.domain,
      applicationToken,
    };
    expect((await h.app.fetch(eventRequest(event))).status).toBe(200);
    // The same request over real HTTP, as the portal delivers it.
    expect((await fetch(eventRequest(event))).status).toBe(200);
    expect((await h.app.fetch(eventRequest({ ...event, tamper: "wrong-application-token" }))).status).toBe(
      401,
    );

    const uninstall = { ...event, clean: false };
    expect(
      (await h.app.fetch(uninstallEventRequest({ ...uninstall, tamper: "wrong-application-token" }))).status,
    ).toBe(401);
    expect((await h.app.tenants.get(portal.memberId))?.state).toBe("active");
    expect((await h.app.fetch(uninstallEventRequest(uninstall))).status).toBe(200);
    expect((await h.app.tenants.get(portal.memberId))?.state).toBe("uninstalled");
  });

  it("installs from installEventRequest carrying the portal's real tokens; a foreign address is refused", async () => {
    const portal = await testPortal(emu);
    const app = await startApp(emu, {
      registration: () => ({}),
      manifest: { version: "1", scopes: ["crm"], events: [{ event: "ONCRMDEALADD" }] },
    });
    try {
      const api = control(emu);
      const installation = await api.install(portal.memberId, app.clientId);
      const install = () =>
        api.tokens(portal.memberId, app.clientId).then((tokens) =>
          installEventRequest({
            appUrl: app.publicUrl,
            path: "b24/install",
            handlerId: null,
            memberId: portal.memberId,
            domain: portal.domain,
            accessToken: tokens.access_token,
            refreshToken: tokens.refresh_token,
            applicationToken: installation.applicationToken,
          }),
        );
      const foreign = await app.app.fetch(
        installEventRequest({
          appUrl: app.publicUrl,
          path: "b24/install",
          memberId: portal.memberId,
          domain: portal.domain,
          refreshToken: (await api.tokens(portal.memberId, app.clientId)).refresh_token,
          applicationToken: installation.applicationToken,
          tamper: "foreign-domain",
        }),
      );
      expect(foreign.status).toBe(403);
      expect(((await foreign.json()) as { error: string }).error).toBe("FRAME_DOMAIN_MISMATCH");
      expect(await app.app.tenants.get(portal.memberId)).toBeUndefined();

      expect((await app.app.fetch(await install())).status).toBe(200);
      expect(await app.app.tenants.get(portal.memberId)).toMatchObject({
        state: "active",
        clientEndpoint: portal.clientEndpoint,
      });
    } finally {
      await app.close();
    }
  });

  it("serves the installer and a placement from appPageRequest and placementRequest with the portal's tokens", async () => {
    const portal = await testPortal(emu);
    const ui = await startApp(emu, { registration: (url) => ({ appUrl: url, installUrl: url }) });
    try {
      const api = control(emu);
      const { applicationToken } = await api.install(portal.memberId, ui.clientId);
      const frame = async () => {
        const tokens = await api.tokens(portal.memberId, ui.clientId);
        return {
          appUrl: ui.publicUrl,
          memberId: portal.memberId,
          domain: portal.domain,
          accessToken: tokens.access_token,
          refreshToken: tokens.refresh_token,
          applicationToken,
          scope: tokens.scope,
        };
      };
      const installer = await fetch(appPageRequest({ ...(await frame()), install: true }));
      expect(installer.status).toBe(200);
      expect(await installer.text()).toContain('"installFinish":true');
      await api.finishInstall(portal.memberId, ui.clientId);
      await waitFor(async () => (await ui.app.tenants.get(portal.memberId))?.state === "active");

      const tab = { placement: "CRM_DEAL_DETAIL_TAB", placementOptions: { ID: 42 } };
      const opened = await ui.app.fetch(placementRequest({ ...(await frame()), ...tab }));
      expect(opened.status).toBe(200);
      expect(await opened.text()).toContain('<main id="deal">Deal 42</main>');
      const forged = await ui.app.fetch(
        placementRequest({ ...(await frame()), ...tab, tamper: "wrong-application-token" }),
      );
      expect(forged.status).toBe(403);
      expect(((await forged.json()) as { error: string }).error).toBe("APPLICATION_TOKEN_MISMATCH");
      const moved = await ui.app.fetch(
        placementRequest({ ...(await frame()), ...tab, tamper: "foreign-domain" }),
      );
      expect(moved.status).toBe(403);
      expect(((await moved.json()) as { error: string }).error).toBe("FRAME_DOMAIN_MISMATCH");
    } finally {
      await ui.close();
    }
  });
});
