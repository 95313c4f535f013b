import type { EmulatorHandle } from "@b24kit/emulator";
import {
  control,
  type HandlerServer,
  handlerServer,
  type InstalledApp,
  installApp,
  testEmulator,
} from "@b24kit/emulator/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appCall, call } from "./helpers.js";

// The portal UI's server side over plain HTTP (no browser): pages, the user
// switcher, form edits through the executor, and the frame endpoints.

describe("portal UI routes", () => {
  let emu: EmulatorHandle;
  let memberId: string;
  let hook: string;
  let base: string;
  let handler: HandlerServer;
  let app: { clientId: string };
  let token: string;
  let endpoint: string;
  let appId: number;
  let userId: number;

  const get = async (path: string) => {
    const res = await fetch(`${base}${path}`, { redirect: "manual" });
    return { status: res.status, text: await res.text(), location: res.headers.get("location") };
  };
  const postForm = async (path: string, form: Record<string, string>) => {
    const res = await fetch(`${base}${path}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(form).toString(),
      redirect: "manual",
    });
    return { status: res.status, text: await res.text(), location: res.headers.get("location") };
  };
  const postJson = async (path: string, body: unknown) => {
    const res = await fetch(`${base}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  };
  const asUser = (id: number) => postForm("_portal/ui-user", { userId: String(id), back: "/" });
  /** The APP_SID of the first server-rendered frame of a page. */
  const sidOf = (html: string) => /APP_SID=([0-9a-f]{32})/.exec(html)?.[1];

  beforeAll(async () => {
    emu = await testEmulator();
    memberId = emu.portals[0]!.memberId as string;
    hook = emu.portals[0]!.adminWebhookUrl as string;
    base = emu.url;
    handler = await handlerServer();
    app = await installApp(emu, memberId, {
      scopes: ["crm", "placement", "user"],
      appUrl: "http://127.0.0.1:9/app",
      code: "ui.test",
      name: "UI test app",
    });
    ({ access_token: token, client_endpoint: endpoint } = (app as InstalledApp).auth);
    appId = (await appCall(endpoint, token, "app.info")).body.result.ID;
    userId = (
      await control(emu).send("POST", `portals/${memberId}/users`, {
        NAME: "Olga",
        crmRights: { "2": "own" },
      })
    ).body.user.ID;
  });
  afterAll(async () => {
    await control(emu).eventsIdle();
    await handler.close();
    await emu.close();
  });

  it("serves the pages at the contract's paths, with the assets", async () => {
    expect((await get("")).location).toBe("/crm/deal/list/");
    for (const path of ["crm/deal/list/", "crm/lead/list/", "crm/contact/list/", "crm/company/list/"]) {
      const page = await get(path);
      expect(page.status).toBe(200);
      expect(page.text).toContain('<nav class="b24-menu"');
      // Every page says it is the emulator, not a real portal.
      expect(page.text).toContain('<span class="b24-top__badge">emulator</span>');
    }
    expect((await get("crm/deal/list")).location).toBe("/crm/deal/list/");
    expect((await get("crm/nothing/list/")).status).toBe(404);
    expect((await get("company/personal/user/1/")).text).toContain("Admin Portal");
    expect((await get("marketplace/")).text).toContain("UI test app");
    expect((await get("online/")).status).toBe(200);
    expect((await get(`marketplace/app/${appId}/`)).status).toBe(200);
    const css = await fetch(`${base}_portal/assets/portal.css`);
    expect(css.headers.get("content-type")).toContain("text/css");
    const js = await fetch(`${base}_portal/assets/portal.js`);
    expect(await js.text()).toContain("parseMessage");
    expect((await fetch(`${base}_portal/assets/..%2Fpackage.json`)).status).toBe(404);
  });

  it("lists the app in the menu and its app page opens a DEFAULT frame with the page's query as options", async () => {
    const home = await get("crm/deal/list/");
    expect(home.text).toContain(`href="/marketplace/app/${appId}/"`);
    expect(home.text).toContain("UI test app");
    const page = await get(`marketplace/app/${appId}/?docId=5&IFRAME=Y`);
    expect(page.text).not.toContain('class="b24-menu"');
    const sid = sidOf(page.text)!;
    expect(page.text).toContain(`name="${new URL(base).host}|1|${sid}"`);
    const init = await fetch(`${base}_portal/frame/${sid}/init`).then((r) => r.json());
    expect(init).toMatchObject({
      LANG: "en",
      DOMAIN: new URL(base).host,
      PROTOCOL: 1,
      PATH: "/rest",
      MEMBER_ID: memberId,
      IS_ADMIN: true,
      INSTALL: false,
      FIRST_RUN: true,
      PLACEMENT: "DEFAULT",
      PLACEMENT_OPTIONS: { docId: "5", URI: `/marketplace/app/${appId}/?docId=5&IFRAME=Y` },
      APP_OPTIONS: {},
      USER_OPTIONS: {},
    });
    expect(init.AUTH_EXPIRES).toBeGreaterThan(3500);
    // The frame's token works for the app and belongs to the UI user.
    const profile = await appCall(endpoint, init.AUTH_ID, "profile");
    expect(profile.body.result.ID).toBe("1");
    expect((await postJson(`_portal/frame/${sid}/install`, {})).status).toBe(200);
    expect((await fetch(`${base}_portal/frame/${sid}/init`).then((r) => r.json())).FIRST_RUN).toBe(false);
    const refreshed = await postJson(`_portal/frame/${sid}/refresh-auth`, {});
    expect(refreshed.body.AUTH_ID).not.toBe(init.AUTH_ID);
    expect(refreshed.body.AUTH_EXPIRES).toBe(3600);
    expect((await postJson(`_portal/frame/${sid}/app-option`, { name: "mode", value: "full" })).body).toEqual(
      {
        mode: "full",
      },
    );
    expect((await fetch(`${base}_portal/frame/nope/init`)).status).toBe(404);
  });

  it("opens placement frames only for bound, finished placements, with the placement's option keys", async () => {
    await appCall(endpoint, token, "placement.bind", {
      PLACEMENT: "CRM_DEAL_DETAIL_TAB",
      HANDLER: "http://127.0.0.1:9/tab",
      TITLE: "Numbers",
    });
    const binding = (await control(emu).send("GET", `portals/${memberId}/apps/${app.clientId}`)).body
      .placements[0];
    const dealId = Number((await call(hook, "crm.deal.add", { fields: { TITLE: "UI deal" } })).body.result);
    const page = await get(`crm/deal/details/${dealId}/`);
    expect(page.text).toContain(">Numbers</button>");
    const open = await postJson("_portal/frame/open", {
      clientId: app.clientId,
      bindingId: binding.id,
      placement: "CRM_DEAL_DETAIL_TAB",
      options: { ID: dealId, EVIL: "x" },
      uri: `/crm/deal/details/${dealId}/`,
    });
    expect(open.status).toBe(200);
    expect(open.body.fields.PLACEMENT_OPTIONS).toBe(
      `{"ID":"${dealId}","URI":"\\/crm\\/deal\\/details\\/${dealId}\\/"}`,
    );
    expect(open.body.origin).toBe("http://127.0.0.1:9");
    expect(open.body.action).toBe(
      `http://127.0.0.1:9/tab?DOMAIN=${encodeURIComponent(new URL(base).host)}&PROTOCOL=1&LANG=en&APP_SID=${open.body.sid}`,
    );
    const wrong = await postJson("_portal/frame/open", {
      clientId: app.clientId,
      bindingId: binding.id,
      placement: "CRM_LEAD_DETAIL_TAB",
    });
    expect(wrong.status).toBe(404);

    await control(emu).send("PATCH", `portals/${memberId}/apps/${app.clientId}`, { installed: false });
    try {
      expect((await get(`crm/deal/details/${dealId}/`)).text).not.toContain(">Numbers</button>");
      const refused = await postJson("_portal/frame/open", {
        clientId: app.clientId,
        bindingId: binding.id,
        placement: "CRM_DEAL_DETAIL_TAB",
      });
      expect(refused.status).toBe(403);
    } finally {
      await control(emu).send("PATCH", `portals/${memberId}/apps/${app.clientId}`, { installed: true });
    }

    await control(emu).send("PATCH", "settings", { requireHttpsHandlers: true });
    try {
      const https = await postJson("_portal/frame/open", {
        clientId: app.clientId,
        bindingId: binding.id,
        placement: "CRM_DEAL_DETAIL_TAB",
      });
      expect(https.status).toBe(403);
      expect(https.body.error).toContain("--require-https");
    } finally {
      await control(emu).send("PATCH", "settings", { requireHttpsHandlers: false });
    }
  });

  it("edits a record as the UI user through the executor: rights apply and ONCRMDEALUPDATE carries that user", async () => {
    await appCall(endpoint, token, "event.bind", {
      event: "ONCRMDEALUPDATE",
      handler: `${handler.url}deals`,
    });
    const mine = Number(
      (await call(hook, "crm.deal.add", { fields: { TITLE: "Olga's", ASSIGNED_BY_ID: userId } })).body.result,
    );
    const foreign = Number(
      (await call(hook, "crm.deal.add", { fields: { TITLE: "Not Olga's" } })).body.result,
    );
    expect((await asUser(userId)).location).toBe("/");
    try {
      expect(emu.world.portal(memberId)!.uiUserId).toBe(userId);
      const list = await get("crm/deal/list/");
      expect(list.text).toContain("Olga&#39;s");
      expect(list.text).not.toContain("Not Olga");
      expect((await get(`crm/deal/details/${foreign}/`)).status).toBe(403);

      const saved = await postForm(`crm/deal/details/${mine}/`, {
        "fields[TITLE]": "Olga's, renamed",
        "fields[OPPORTUNITY]": "100.00",
      });
      expect(saved.status).toBe(303);
      expect(saved.location).toBe(`/crm/deal/details/${mine}/?saved=Y`);
      expect((await call(hook, "crm.deal.get", { id: mine })).body.result).toMatchObject({
        TITLE: "Olga's, renamed",
        OPPORTUNITY: "100.00",
        MODIFY_BY_ID: String(userId),
      });
      await control(emu).eventsIdle();
      const events = handler.of("ONCRMDEALUPDATE");
      expect(events).toHaveLength(1);
      expect(events[0]!.body.auth.user_id).toBe(String(userId));

      // Nothing changed: no update call, no event.
      await postForm(`crm/deal/details/${mine}/`, { "fields[TITLE]": "Olga's, renamed" });
      await control(emu).eventsIdle();
      expect(handler.of("ONCRMDEALUPDATE")).toHaveLength(1);

      // A non-admin may not install, and the frame's admin-only commands refuse.
      const other = (await control(emu).send("POST", "apps", { scopes: ["crm"] })).body;
      expect((await postForm(`marketplace/install/${other.clientId}/`, {})).status).toBe(403);
      expect((await get("marketplace/")).text).not.toContain("data-install=");
      const sid = sidOf((await get(`marketplace/app/${appId}/`)).text)!;
      expect((await postJson(`_portal/frame/${sid}/app-option`, { name: "x", value: 1 })).status).toBe(403);
      expect((await postJson(`_portal/frame/${sid}/user-option`, { name: "x", value: 1 })).body).toEqual({
        name: "x",
        value: 1,
      });
    } finally {
      await asUser(1);
    }
    expect((await postForm("_portal/ui-user", { userId: "999" })).status).toBe(400);
  });

  it("installs from /marketplace/install/: headless apps are done at once, a second visit changes nothing", async () => {
    const headless = (await control(emu).send("POST", "apps", { scopes: ["crm"], code: "headless.sync" }))
      .body;
    expect((await get("marketplace/")).text).toContain(`data-install="${headless.clientId}"`);
    const done = await get(`marketplace/install/${headless.clientId}/`);
    expect(done.status).toBe(200);
    expect(done.text).toContain("data-install-done");
    const installed = (await control(emu).send("GET", `portals/${memberId}/apps/${headless.clientId}`)).body;
    expect(installed.installed).toBe(true);
    expect((await postForm(`marketplace/install/${headless.clientId}/`, {})).text).toContain(
      "data-install-done",
    );
    const again = (await control(emu).send("GET", `portals/${memberId}/apps/${headless.clientId}`)).body;
    expect(again.applicationToken).toBe(installed.applicationToken);
  });

  it("sends chat messages from the chat page through postUserMessage", async () => {
    const sent = await postForm("online/", { dialogId: String(userId), message: "Hello Olga" });
    expect(sent.status).toBe(303);
    const page = await get(`online/?dialog=${userId}`);
    expect(page.text).toContain("Hello Olga");
    const empty = await postForm("online/", { dialogId: String(userId), message: "  " });
    expect(empty.status).toBe(400);
  });
});
