import { mkdirSync } from "node:fs";
import type { EmulatorHandle } from "@b24kit/emulator";
import {
  control,
  type HandlerServer,
  handlerServer,
  launchBrowser,
  testEmulator,
} from "@b24kit/emulator/testing";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestAppServer } from "./browser.js";
import { appCall, call } from "./helpers.js";

// The portal UI in headless Chromium, with an app page that uses the official
// frame SDK (UMD build, unmodified): placements in frames (§8.3, §9), the
// installer flow (§2.1–2.3) and the user switcher (contracts.md "Portal UI paths").

/** B24KIT_SCREENSHOTS=1 refreshes the README's screenshots in packages/emulator/docs/. */
const SCREENSHOTS = process.env.B24KIT_SCREENSHOTS === "1";
const DOCS = new URL("../docs/", import.meta.url);

const TAB_PAGE = {
  title: "Deal insights",
  body: `<h1>Deal insights</h1>
<div class="kpi">Deal<b id="title">…</b></div><div class="kpi">Amount<b id="amount">…</b></div><div class="kpi">Stage<b id="stage">…</b></div>
<p style="color:#888">Opened as <code id="placement">…</code> with <code id="options">…</code></p>
<p id="status" hidden>loading</p><pre id="init" hidden></pre>`,
  script: `
    const options = b24.placement.options;
    document.getElementById("placement").textContent = b24.placement.placement;
    document.getElementById("options").textContent = JSON.stringify(options);
    document.getElementById("init").textContent = JSON.stringify({
      placement: b24.placement.placement, options, isAdmin: b24.auth.isAdmin,
      installMode: b24.isInstallMode, appSid: b24.getAppSid(), windowName: window.name,
    });
    const res = await b24.actions.v2.call.make({ method: "crm.deal.get", params: { id: options.ID } });
    const deal = res.getData().result;
    document.getElementById("title").textContent = deal.TITLE;
    document.getElementById("amount").textContent = deal.OPPORTUNITY + " " + deal.CURRENCY_ID;
    document.getElementById("stage").textContent = deal.STAGE_ID;
    const size = await b24.parent.resizeWindow(640, 321);
    document.getElementById("status").textContent = "done " + JSON.stringify(size);
  `,
};

function installerPage(handler: string) {
  return {
    title: "Installer",
    body: `<h1>Installing</h1><p>Install mode: <b id="mode">…</b></p><p>Bound: <b id="bound">…</b></p>
<button id="finish" disabled>Finish installation</button><p id="status"></p>`,
    script: `
      document.getElementById("mode").textContent = String(b24.isInstallMode);
      const r = await b24.actions.v2.call.make({
        method: "event.bind", params: { event: "ONCRMDEALUPDATE", handler: ${JSON.stringify(handler)} },
      });
      document.getElementById("bound").textContent = String(r.getData().result);
      const button = document.getElementById("finish");
      button.disabled = false;
      button.onclick = () => { b24.installFinish(); };
    `,
  };
}

const APP_PAGE = {
  title: "App",
  body: `<h1>Main page</h1><p id="status">loading</p>`,
  script: `document.getElementById("status").textContent = "placement " + b24.placement.placement;`,
};

describe("portal UI in Chromium", () => {
  let emu: EmulatorHandle;
  let browser: Browser;
  let context: BrowserContext;
  let appServer: TestAppServer;
  let handler: HandlerServer;
  let memberId: string;
  let hook: string;
  let portalUrl: string;

  const addDeal = async (title: string): Promise<number> => {
    const r = await call(hook, "crm.deal.add", {
      fields: { TITLE: title, OPPORTUNITY: 12500, CURRENCY_ID: "EUR" },
    });
    expect(r.status).toBe(200);
    return Number(r.body.result);
  };

  /** Edits a deal's title through the portal's own edit form, as the current UI user. */
  const editDealInUi = async (page: Page, id: number, title: string) => {
    await page.goto(`${portalUrl}crm/deal/details/${id}/`);
    await page.fill("#field-TITLE", title);
    await Promise.all([page.waitForURL(/saved=Y/), page.click("[data-entity-form] button[type=submit]")]);
    await page.locator(".b24-notice--success").waitFor();
  };

  /** Picks a user in the top bar's switcher and waits for the page to come back. */
  const switchUser = async (page: Page, userId: number) => {
    await Promise.all([
      page.waitForEvent("framenavigated", (f) => f === page.mainFrame()),
      page.selectOption("[data-ui-user]", String(userId)),
    ]);
    await page.waitForLoadState("load");
  };

  beforeAll(async () => {
    emu = await testEmulator();
    memberId = emu.portals[0]!.memberId as string;
    hook = emu.portals[0]!.adminWebhookUrl as string;
    portalUrl = emu.url;
    handler = await handlerServer();
    appServer = await startTestApp({
      "/tab": TAB_PAGE,
      "/install": installerPage(`${handler.url}deal-update`),
      "/app": APP_PAGE,
    });
    ({ browser, context } = await launchBrowser());
    if (SCREENSHOTS) mkdirSync(DOCS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await control(emu).eventsIdle();
    await appServer?.close();
    await handler?.close();
    await emu?.close();
  });

  it("opens a CRM_DEAL_DETAIL_TAB placement: init data, crm.deal.get through the frame SDK, resizeWindow", async () => {
    const app = (
      await control(emu).send("POST", "apps", {
        scopes: ["crm", "placement"],
        appUrl: `${appServer.url}app`,
        code: "deal.insights",
      })
    ).body;
    const install = await control(emu).send("POST", `portals/${memberId}/install`, {
      clientId: app.clientId,
    });
    expect(install.body.installed).toBe(true);
    const token = install.body.auth.access_token as string;
    const endpoint = install.body.auth.client_endpoint as string;
    const bind = await appCall(endpoint, token, "placement.bind", {
      PLACEMENT: "CRM_DEAL_DETAIL_TAB",
      HANDLER: `${appServer.url}tab`,
      TITLE: "Deal insights",
    });
    expect(bind.body.result).toBe(true);
    const dealId = await addDeal("Rocket launch");

    const page = await context.newPage();
    await page.goto(`${portalUrl}crm/deal/details/${dealId}/`);
    expect(await page.locator("[data-page-title]").textContent()).toBe("Rocket launch");
    expect(await page.locator("iframe").count()).toBe(0);
    await page.getByRole("tab", { name: "Deal insights" }).click();

    const frame = page.frameLocator(".b24-tabs__panel.is-active iframe");
    await expect.poll(() => frame.locator("#title").textContent(), { timeout: 15_000 }).toBe("Rocket launch");
    await expect.poll(() => frame.locator("#status").textContent()).toMatch(/^done /);

    // The frame's size changed in the parent DOM, and the reply carried the real size.
    const iframe = page.locator(".b24-tabs__panel.is-active iframe");
    const box = await iframe.evaluate((el) => el.getBoundingClientRect());
    expect(Math.round(box.height)).toBe(321);
    expect(await frame.locator("#status").textContent()).toContain('"height":321');

    // Init data: the deal id and URI in the placement options; window.name = DOMAIN|PROTOCOL|APP_SID.
    const init = JSON.parse((await frame.locator("#init").textContent()) ?? "{}");
    const host = new URL(portalUrl).host;
    expect(init.placement).toBe("CRM_DEAL_DETAIL_TAB");
    expect(init.options).toEqual({ ID: String(dealId), URI: `/crm/deal/details/${dealId}/` });
    expect(init.isAdmin).toBe(true);
    expect(init.installMode).toBe(false);
    expect(init.windowName).toBe(`${host}|1|${init.appSid}`);
    expect(await iframe.getAttribute("name")).toBe(`${host}|1|${init.appSid}`);

    // What the portal POSTed into the frame (§2.2).
    const hit = appServer.hits.find((h) => h.path === "/tab" && h.query.APP_SID === init.appSid)!;
    expect(hit.method).toBe("POST");
    expect(hit.query).toEqual({ DOMAIN: host, PROTOCOL: "1", LANG: "en", APP_SID: init.appSid });
    expect(hit.body).toMatchObject({
      AUTH_EXPIRES: "3600",
      SERVER_ENDPOINT: `${emu.authUrl}rest/`,
      APPLICATION_TOKEN: install.body.applicationToken,
      APPLICATION_SCOPE: "crm,placement",
      member_id: memberId,
      status: "L",
      PLACEMENT: "CRM_DEAL_DETAIL_TAB",
    });
    expect(hit.body.PLACEMENT_OPTIONS).toBe(
      `{"ID":"${dealId}","URI":"\\/crm\\/deal\\/details\\/${dealId}\\/"}`,
    );
    expect(hit.body.AUTH_ID).toMatch(/^[0-9a-f]{16,}/);
    expect(hit.body.AUTH_ID).not.toBe(token);

    if (SCREENSHOTS) {
      await page.setViewportSize({ width: 1200, height: 640 });
      await page.screenshot({ path: new URL("portal-deal-tab.png", DOCS).pathname });
    }
    await page.close();
  });

  it("installs an app with an installer from /marketplace/install/: install mode, event.bind, installFinish, events after it", async () => {
    const app = (
      await control(emu).send("POST", "apps", {
        scopes: ["crm", "placement"],
        installUrl: `${appServer.url}install`,
        appUrl: `${appServer.url}app`,
      })
    ).body;
    const dealId = await addDeal("Installer deal");

    const page = await context.newPage();
    await page.goto(`${portalUrl}marketplace/`);
    await page.click(`[data-install="${app.clientId}"]`);
    await page.waitForURL(`**/marketplace/install/${app.clientId}/`);
    const installer = page.frameLocator(".b24-frame iframe");
    await expect.poll(() => installer.locator("#mode").textContent(), { timeout: 15_000 }).toBe("true");
    await expect.poll(() => installer.locator("#bound").textContent(), { timeout: 15_000 }).toBe("true");

    const before = await control(emu).send("GET", `portals/${memberId}/apps/${app.clientId}`);
    expect(before.body.installed).toBe(false);
    expect(before.body.events.map((e: any) => e.event)).toEqual(["ONCRMDEALUPDATE"]);

    // Before installFinish, a deal edit in the UI delivers nothing (§2.1).
    const other = await context.newPage();
    await editDealInUi(other, dealId, "Installer deal, edited before finish");
    await control(emu).eventsIdle();
    expect(handler.of("ONCRMDEALUPDATE")).toHaveLength(0);

    await Promise.all([page.waitForURL(/install_finished=Y/), installer.locator("#finish").click()]);
    await page.locator("[data-install-done]").waitFor();
    const after = await control(emu).send("GET", `portals/${memberId}/apps/${app.clientId}`);
    expect(after.body.installed).toBe(true);

    await editDealInUi(other, dealId, "Installer deal, edited after finish");
    await control(emu).eventsIdle();
    const delivered = handler.of("ONCRMDEALUPDATE");
    expect(delivered).toHaveLength(1);
    expect(delivered[0]!.path).toBe("/deal-update");
    expect(delivered[0]!.body.data.FIELDS.ID).toBe(String(dealId));
    expect(delivered[0]!.body.auth.user_id).toBe("1");
    expect(delivered[0]!.body.auth.application_token).toBe(after.body.applicationToken);
    await other.close();
    await page.close();
  });

  it("switches the UI user: a non-admin gets no install button and 'app not fully installed'", async () => {
    const mary = (
      await control(emu).send("POST", `portals/${memberId}/users`, { NAME: "Mary", LAST_NAME: "Jones" })
    ).body.user;
    const unfinished = (
      await control(emu).send("POST", "apps", { scopes: ["crm"], installUrl: `${appServer.url}install` })
    ).body;
    const install = await control(emu).send("POST", `portals/${memberId}/install`, {
      clientId: unfinished.clientId,
    });
    expect(install.body.installed).toBe(false);
    const info = await appCall(install.body.auth.client_endpoint, install.body.auth.access_token, "app.info");
    const appId = info.body.result.ID as number;
    const notInstalled = (
      await control(emu).send("POST", "apps", { scopes: ["crm"], appUrl: `${appServer.url}app` })
    ).body;

    const page = await context.newPage();
    await page.goto(`${portalUrl}marketplace/`);
    await page.locator(`[data-install="${notInstalled.clientId}"]`).waitFor();

    await switchUser(page, mary.ID);
    expect((await control(emu).send("GET", `portals/${memberId}`)).body.users).toBeDefined();
    expect(emu.world.portal(memberId)!.uiUserId).toBe(mary.ID);
    expect(await page.locator("[data-ui-user]").inputValue()).toBe(String(mary.ID));
    expect(await page.locator("[data-install]").count()).toBe(0);
    await page
      .locator(`[data-client-id="${unfinished.clientId}"]`)
      .getByText("Not fully installed")
      .waitFor();

    await page.goto(`${portalUrl}marketplace/app/${appId}/`);
    expect(await page.locator(".b24-notice--warning").textContent()).toContain("not fully installed");
    expect(await page.locator("iframe").count()).toBe(0);

    const refused = await page.goto(`${portalUrl}marketplace/install/${notInstalled.clientId}/`);
    expect(refused?.status()).toBe(403);

    // The admin sees the installer again on the app's page.
    await switchUser(page, 1);
    expect(emu.world.portal(memberId)!.uiUserId).toBe(1);
    await page.goto(`${portalUrl}marketplace/app/${appId}/`);
    await expect
      .poll(() => page.frameLocator(".b24-frame iframe").locator("#mode").textContent(), { timeout: 15_000 })
      .toBe("true");
    await page.close();
  });
});
