import type { EmulatorHandle } from "@b24kit/emulator";
import { type InstalledApp, installApp, launchBrowser, testEmulator } from "@b24kit/emulator/testing";
import type { Browser, BrowserContext, Frame, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestAppServer } from "./browser.js";
import { appCall, call } from "./helpers.js";

// A custom field type end to end in Chromium (api-reference/widgets/user-field/index.md):
// an app registers a type, a deal field of that type shows the app's USERFIELD_TYPE frame
// in view mode on the card and in edit mode in the form, whose setValue (the official
// frame SDK) is saved with the card.

/** The field's handler: shows its mode and value, exposes the SDK as window.b24. */
const FIELD_PAGE = {
  title: "Health",
  body: `<p id="status">loading</p><p id="placement"></p><p id="mode"></p><p id="value"></p><pre id="init"></pre>`,
  script: `
    window.b24 = b24;
    const o = b24.placement.options;
    document.getElementById("placement").textContent = b24.placement.placement;
    document.getElementById("mode").textContent = o.MODE;
    document.getElementById("value").textContent = o.VALUE;
    document.getElementById("init").textContent = JSON.stringify(o);
    document.getElementById("status").textContent = "ready";
  `,
};

describe("USERFIELD_TYPE frames on the deal card", () => {
  let emu: EmulatorHandle;
  let browser: Browser;
  let context: BrowserContext;
  let appServer: TestAppServer;
  let hook: string;
  let app: InstalledApp;
  let appId: number;
  let dealId: number;

  const frameIn = async (page: Page, selector: string): Promise<Frame> => {
    const handle = await page.locator(selector).elementHandle({ timeout: 15_000 });
    const frame = await handle!.contentFrame();
    await expect.poll(async () => frame!.locator("#status").textContent(), { timeout: 15_000 }).toBe("ready");
    return frame!;
  };
  const asApp = (method: string, params: Record<string, unknown>) =>
    appCall(app.auth.client_endpoint, app.auth.access_token, method, params);

  beforeAll(async () => {
    emu = await testEmulator();
    const memberId = emu.portals[0]!.memberId as string;
    hook = emu.portals[0]!.adminWebhookUrl as string;
    appServer = await startTestApp({ "/health": FIELD_PAGE });
    app = await installApp(emu, memberId, {
      scopes: ["crm", "placement"],
      appUrl: `${appServer.url}health`,
      code: "health.app",
    });
    appId = (await asApp("app.info", {})).body.result.ID;
    expect(
      (
        await asApp("userfieldtype.add", {
          USER_TYPE_ID: "deal_health",
          HANDLER: `${appServer.url}health`,
          TITLE: "Deal health",
          OPTIONS: { height: 80 },
        })
      ).body.result,
    ).toBe(true);
    const field = await asApp("crm.deal.userfield.add", {
      fields: {
        FIELD_NAME: "HEALTH",
        USER_TYPE_ID: `rest_${appId}_deal_health`,
        LABEL: "Health",
        XML_ID: "HX",
      },
    });
    expect(field.body.result).toEqual(expect.any(Number));
    dealId = (await call(hook, "crm.deal.add", { fields: { TITLE: "Field deal", UF_CRM_HEALTH: "green" } }))
      .body.result;
    ({ browser, context } = await launchBrowser());
  });

  afterAll(async () => {
    await browser?.close();
    await appServer?.close();
    await emu?.close();
  });

  it("shows the frame in view mode on the card and in edit mode in the form; setValue is saved with the card", async () => {
    const page = await context.newPage();
    await page.goto(`${emu.url}crm/deal/details/${dealId}/`);

    const view = await frameIn(page, "[data-uf-mode=view] iframe");
    expect(await view.locator("#placement").textContent()).toBe("USERFIELD_TYPE");
    expect(await view.locator("#mode").textContent()).toBe("view");
    expect(await view.locator("#value").textContent()).toBe("green");
    expect(JSON.parse((await view.locator("#init").textContent()) ?? "{}")).toEqual({
      MODE: "view",
      ENTITY_ID: "CRM_DEAL",
      FIELD_NAME: "UF_CRM_HEALTH",
      ENTITY_VALUE_ID: String(dealId),
      VALUE: "green",
      MULTIPLE: "N",
      MANDATORY: "N",
      XML_ID: "HX",
    });
    expect(
      await page.locator("[data-uf-mode=view] iframe").evaluate((e) => (e as HTMLElement).style.height),
    ).toBe("80px");
    // The handler got the placement's POST like any other placement.
    const posted = appServer.hits.find((h) => h.method === "POST" && h.body.PLACEMENT === "USERFIELD_TYPE");
    expect(JSON.parse(posted!.body.PLACEMENT_OPTIONS)).toMatchObject({ FIELD_NAME: "UF_CRM_HEALTH" });

    const edit = await frameIn(page, "[data-uf-mode=edit] iframe");
    expect(await edit.locator("#mode").textContent()).toBe("edit");
    expect(await edit.evaluate(() => (window as any).b24.placement.getInterface())).toEqual({
      command: ["setValue", "getValue"],
      event: [],
    });
    await edit.evaluate(() => (window as any).b24.placement.setValue("amber"));
    await expect.poll(() => page.locator('input[name="fields[UF_CRM_HEALTH]"]').inputValue()).toBe("amber");
    expect(await edit.evaluate(() => (window as any).b24.placement.call("getValue"))).toBe("amber");
    // View mode does not write into the form.
    await view.evaluate(() => (window as any).b24.placement.setValue("ignored"));
    await page.waitForTimeout(200);
    expect(await page.locator('input[name="fields[UF_CRM_HEALTH]"]').inputValue()).toBe("amber");

    await Promise.all([page.waitForURL(/saved=Y/), page.click("[data-entity-form] button[type=submit]")]);
    expect((await call(hook, "crm.deal.get", { id: dealId })).body.result.UF_CRM_HEALTH).toBe("amber");
    const again = await frameIn(page, "[data-uf-mode=view] iframe");
    expect(await again.locator("#value").textContent()).toBe("amber");
    await page.close();
  });
});
