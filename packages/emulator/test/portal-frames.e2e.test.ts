import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { EmulatorHandle } from "@b24kit/emulator";
import {
  control,
  type InstalledApp,
  installApp,
  launchBrowser,
  testEmulator,
} from "@b24kit/emulator/testing";
import type { Browser, BrowserContext, Frame, Page } from "playwright-core";
import qs from "qs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestAppServer } from "./browser.js";
import { appCall, call } from "./helpers.js";

// The frame host's commands (docs/protocol.md §9.3) driven through the official
// frame SDK in Chromium, the placements of the other portal pages, and the
// chat page with a bot that answers.

const SCREENSHOTS = process.env.B24KIT_SCREENSHOTS === "1";
const DOCS = new URL("../docs/", import.meta.url);

/** A page that exposes the initialised SDK as window.b24 and shows its placement and options. */
const PROBE = {
  title: "Probe",
  body: `<h1>Probe</h1><p id="status">loading</p><p id="placement"></p><pre id="init"></pre>`,
  script: `
    window.b24 = b24;
    document.getElementById("placement").textContent = b24.placement.placement;
    document.getElementById("init").textContent = JSON.stringify(b24.placement.options);
    document.getElementById("status").textContent = "ready";
  `,
};

describe("frame commands and placements in Chromium", () => {
  let emu: EmulatorHandle;
  let browser: Browser;
  let context: BrowserContext;
  let appServer: TestAppServer;
  let memberId: string;
  let hook: string;
  let portalUrl: string;
  let app: { clientId: string };
  let appId: number;
  let token: string;
  let endpoint: string;
  let maryId: number;
  let dealId: number;

  /** The SDK-driven frame inside `selector`, once its page has initialised. */
  const frameIn = async (page: Page, selector: string): Promise<Frame> => {
    const handle = await page.locator(selector).elementHandle({ timeout: 15_000 });
    const frame = await handle!.contentFrame();
    await expect.poll(async () => frame!.locator("#status").textContent(), { timeout: 15_000 }).toBe("ready");
    return frame!;
  };
  const optionsOf = async (frame: Frame) => JSON.parse((await frame.locator("#init").textContent()) ?? "{}");
  const bind = async (placement: string, title: string) => {
    const r = await appCall(endpoint, token, "placement.bind", {
      PLACEMENT: placement,
      HANDLER: `${appServer.url}probe`,
      TITLE: title,
    });
    expect(r.body.result).toBe(true);
  };

  beforeAll(async () => {
    emu = await testEmulator();
    memberId = emu.portals[0]!.memberId as string;
    hook = emu.portals[0]!.adminWebhookUrl as string;
    portalUrl = emu.url;
    appServer = await startTestApp({ "/probe": PROBE, "/app": PROBE });
    app = await installApp(emu, memberId, {
      scopes: ["crm", "task", "user", "placement", "imbot", "im"],
      appUrl: `${appServer.url}app`,
      code: "probe.app",
    });
    ({ access_token: token, client_endpoint: endpoint } = (app as InstalledApp).auth);
    appId = (await appCall(endpoint, token, "app.info")).body.result.ID;
    maryId = (
      await control(emu).send("POST", `portals/${memberId}/users`, { NAME: "Mary", LAST_NAME: "Jones" })
    ).body.user.ID;
    dealId = Number((await call(hook, "crm.deal.add", { fields: { TITLE: "Frame deal" } })).body.result);
    ({ browser, context } = await launchBrowser());
  });

  afterAll(async () => {
    await browser?.close();
    await appServer?.close();
    await emu?.close();
  });

  it("answers the app page's commands: setTitle, options, refreshAuth, getInterface, origin and APP_SID checks", async () => {
    const page = await context.newPage();
    await page.goto(`${portalUrl}marketplace/app/${appId}/?docId=7`);
    const frame = await frameIn(page, ".b24-frame iframe");
    expect(await frame.locator("#placement").textContent()).toBe("DEFAULT");
    expect(await optionsOf(frame)).toEqual({ docId: "7", URI: `/marketplace/app/${appId}/?docId=7` });

    await frame.evaluate(() => (window as any).b24.parent.setTitle("Probe dashboard"));
    await expect.poll(() => page.locator("[data-page-title]").textContent()).toBe("Probe dashboard");

    await frame.evaluate(async () => {
      const b24 = (window as any).b24;
      await b24.options.appSet("color", "blue");
      await b24.options.userSet("tab", "stats");
    });
    const installed = await control(emu).send("GET", `portals/${memberId}/apps/${app.clientId}`);
    expect(installed.body.options).toEqual({ color: "blue" });
    expect(emu.world.portal(memberId)!.userOptions.get(`${app.clientId}|1`)).toEqual({ tab: "stats" });

    const auth = await frame.evaluate(async () => {
      const b24 = (window as any).b24;
      const before = b24.auth.getAuthData().access_token;
      const after = await b24.auth.refreshAuth();
      const profile = await b24.actions.v2.call.make({ method: "profile" });
      return { before, after: after.access_token, admin: profile.getData().result.ADMIN };
    });
    expect(auth.after).not.toBe(auth.before);
    expect(auth.admin).toBe(true);

    expect(await frame.evaluate(() => (window as any).b24.placement.getInterface())).toEqual({
      command: [],
      event: [],
    });

    // A message from another origin (the portal page itself) with the frame's APP_SID is ignored.
    const sid = await frame.evaluate(() => (window as any).b24.getAppSid());
    await page.evaluate((s) => window.postMessage(`setTitle:{"title":"forged"}:x1:${s}`, "*"), sid);
    await page.waitForTimeout(200);
    expect(await page.locator("[data-page-title]").textContent()).toBe("Probe dashboard");
    // The object form the SDK uses for commands with ':' in their name is understood too.
    const reply = await frame.evaluate((s) => {
      return new Promise<string>((resolve) => {
        window.addEventListener("message", (e) => {
          if (typeof e.data === "string" && e.data.startsWith("cb-object:")) resolve(e.data);
        });
        const b24 = (window as any).b24;
        parent.postMessage(
          { method: "setTitle", params: { title: "Object form" }, callback: "cb-object", appSid: s },
          b24.getTargetOrigin(),
        );
      });
    }, sid);
    expect(reply).toBe('cb-object:{"title":"Object form"}');
    expect(await page.locator("[data-page-title]").textContent()).toBe("Object form");

    // A placement event bound by the frame reaches it every time it fires.
    await frame.evaluate(() => {
      const w = window as any;
      w.events = [];
      w.b24.placement.bindEvent("Probe::Changed", (data: unknown) => w.events.push(data));
    });
    await page.waitForTimeout(1000);
    await page.evaluate(() => {
      const portal = (window as any).b24Portal;
      portal.firePlacementEvent("Probe::Changed", { n: 1 });
      portal.firePlacementEvent("Probe::Changed", { n: 2 });
    });
    await expect.poll(() => frame.evaluate(() => (window as any).events)).toEqual([{ n: 1 }, { n: 2 }]);
    await page.close();
  });

  it("openApplication opens the app in a slider and answers when it closes; openPath and pickers", async () => {
    const page = await context.newPage();
    await page.goto(`${portalUrl}marketplace/app/${appId}/`);
    const frame = await frameIn(page, ".b24-page .b24-frame iframe");

    await frame.evaluate(() => {
      const w = window as any;
      w.appClosed = false;
      w.b24.slider.openSliderAppPage({ docId: 42, bx24_title: "Document 42" }).then(() => {
        w.appClosed = true;
      });
    });
    await page.locator(".b24-slider").waitFor();
    expect(await page.locator(".b24-slider__title").textContent()).toBe("Document 42");
    const child = await frameIn(page, ".b24-slider iframe");
    expect(await child.locator("#placement").textContent()).toBe("DEFAULT");
    expect(await optionsOf(child)).toEqual({ docId: "42", URI: `/marketplace/app/${appId}/` });
    await child.evaluate(() => (window as any).b24.parent.closeApplication());
    await page.locator(".b24-slider").waitFor({ state: "detached" });
    await expect.poll(() => frame.evaluate(() => (window as any).appClosed)).toBe(true);

    await frame.evaluate((id) => {
      const w = window as any;
      w.pathResult = null;
      w.b24.slider.openPath(w.b24.slider.getUrl(`/crm/deal/details/${id}/`)).then((r: unknown) => {
        w.pathResult = r;
      });
    }, dealId);
    const slider = page.locator(".b24-slider .b24-slider__page");
    await slider.waitFor();
    const inner = await (await slider.elementHandle())!.contentFrame();
    await expect.poll(() => inner!.locator("[data-page-title]").textContent()).toBe("Frame deal");
    expect(await inner!.locator(".b24-menu").count()).toBe(0);
    await page.click(".b24-slider__close");
    await expect
      .poll(() => frame.evaluate(() => (window as any).pathResult))
      .toEqual({ isOpenAtNewWindow: false, isClose: true });

    await frame.evaluate(() => {
      const w = window as any;
      w.picked = null;
      w.b24.dialog.selectUser().then((u: unknown) => {
        w.picked = u;
      });
    });
    await page.locator(".b24-picker").getByText("Mary Jones").click();
    await page.locator(".b24-picker button[type=submit]").click();
    await expect.poll(() => frame.evaluate(() => (window as any).picked?.name)).toBe("Mary Jones");
    expect(await frame.evaluate(() => (window as any).picked.id)).toBe(String(maryId));

    await frame.evaluate(() => {
      const w = window as any;
      w.crm = null;
      w.b24.dialog.selectCRM({ entityType: ["deal"], multiple: true }).then((r: unknown) => {
        w.crm = r;
      });
    });
    await page.locator(".b24-picker").getByText("Frame deal").click();
    await page.locator(".b24-picker button[type=submit]").click();
    await expect
      .poll(() => frame.evaluate(() => (window as any).crm))
      .toMatchObject({ deal: [{ id: `D_${dealId}`, title: "Frame deal" }] });
    await page.close();
  });

  it("shows toolbar, left-menu, task-tab and profile placements with their options", async () => {
    await bind("CRM_DEAL_DETAIL_TOOLBAR", "Quick action");
    await bind("CRM_DEAL_LIST_TOOLBAR", "Import deals");
    await bind("LEFT_MENU", "Probe reports");
    await bind("TASK_VIEW_TAB", "Time report");
    await bind("USER_PROFILE_TOOLBAR", "Skills");
    const task = await call(hook, "tasks.task.add", {
      fields: { TITLE: "Write the report", RESPONSIBLE_ID: 1 },
    });
    const taskId = Number(task.body.result.task.id);
    const page = await context.newPage();

    await page.goto(`${portalUrl}crm/deal/details/${dealId}/`);
    await page.getByRole("button", { name: "Quick action" }).click();
    let frame = await frameIn(page, ".b24-slider iframe");
    expect(await frame.locator("#placement").textContent()).toBe("CRM_DEAL_DETAIL_TOOLBAR");
    expect(await optionsOf(frame)).toEqual({ ID: String(dealId), URI: `/crm/deal/details/${dealId}/` });
    expect(await page.locator(".b24-slider__title").textContent()).toBe("Quick action");
    expect(await frame.evaluate(() => (window as any).b24.placement.getInterface())).toEqual({
      command: ["reloadData"],
      event: [],
    });

    await page.goto(`${portalUrl}crm/deal/list/`);
    expect(await page.locator(`.b24-table tr[data-id="${dealId}"]`).textContent()).toContain("Frame deal");
    await page.getByRole("button", { name: "Import deals" }).click();
    frame = await frameIn(page, ".b24-slider iframe");
    expect(await optionsOf(frame)).toEqual({ URI: "/crm/deal/list/" });
    await page.click(".b24-slider__close");
    await page.locator(".b24-slider").waitFor({ state: "detached" });

    await page.getByRole("link", { name: "Probe reports" }).click();
    frame = await frameIn(page, ".b24-page .b24-frame iframe");
    expect(await frame.locator("#placement").textContent()).toBe("LEFT_MENU");

    await page.goto(`${portalUrl}company/personal/user/1/tasks/task/view/${taskId}/`);
    expect(await page.locator("[data-page-title]").textContent()).toBe("Write the report");
    await page.getByRole("tab", { name: "Time report" }).click();
    frame = await frameIn(page, ".b24-tabs__panel.is-active iframe");
    expect(await optionsOf(frame)).toEqual({
      taskId: String(taskId),
      URI: `/company/personal/user/1/tasks/task/view/${taskId}/`,
    });

    await page.goto(`${portalUrl}company/personal/user/${maryId}/`);
    await page.getByRole("button", { name: "Skills" }).click();
    frame = await frameIn(page, ".b24-slider iframe");
    expect(await optionsOf(frame)).toEqual({
      USER_ID: String(maryId),
      URI: `/company/personal/user/${maryId}/`,
    });
    await page.close();
  });

  it("chat page: lists bots, sends a message through postUserMessage and shows the bot's answer", async () => {
    const received: any[] = [];
    const botServer: Server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const body = qs.parse(Buffer.concat(chunks).toString("utf8"), {
          depth: 10,
          parseArrays: false,
        }) as any;
        received.push(body);
        res.writeHead(200).end("ok");
        if (body.event !== "ONIMBOTMESSAGEADD") return;
        const [id, bot] = Object.entries(body.data.BOT as Record<string, any>)[0]!;
        void call(bot.client_endpoint, "imbot.message.add", {
          auth: bot.access_token,
          BOT_ID: id,
          DIALOG_ID: body.data.PARAMS.DIALOG_ID,
          MESSAGE: `Hi! You wrote: [B]${body.data.PARAMS.MESSAGE}[/B]. Deals this week: 12, total 48 300 EUR.`,
        });
      });
    });
    await new Promise<void>((resolve) => botServer.listen(0, "127.0.0.1", resolve));
    try {
      const registered = await appCall(endpoint, token, "imbot.register", {
        CODE: "insights",
        EVENT_HANDLER: `http://127.0.0.1:${(botServer.address() as AddressInfo).port}/bot`,
        PROPERTIES: { NAME: "Deal", LAST_NAME: "Insights", WORK_POSITION: "Reports on your pipeline" },
      });
      const botId = Number(registered.body.result);
      expect(botId).toBeGreaterThan(0);

      const page = await context.newPage();
      await page.setViewportSize({ width: 1200, height: 640 });
      await page.goto(`${portalUrl}online/`);
      await page
        .getByRole("link", { name: /Deal Insights/ })
        .first()
        .click();
      await page.waitForURL(`**/online/?dialog=${botId}`);
      await page.fill(".b24-chat__input", "How is the pipeline?");
      await Promise.all([
        page.waitForURL(`**/online/?dialog=${botId}`),
        page.click(".b24-chat__composer button"),
      ]);
      await page.locator(".b24-msg--mine").getByText("How is the pipeline?").waitFor();
      await control(emu).eventsIdle();
      expect(received.map((r) => r.event)).toEqual(["ONIMBOTJOINCHAT", "ONIMBOTMESSAGEADD"]);
      expect(received[1].data.PARAMS.MESSAGE).toBe("How is the pipeline?");
      // The answer comes asynchronously; the page picks it up without a reload.
      await page.locator(".b24-msg").getByText("Deals this week").waitFor({ timeout: 10_000 });
      if (SCREENSHOTS) await page.screenshot({ path: new URL("portal-chat.png", DOCS).pathname });
      await page.close();
    } finally {
      await control(emu).eventsIdle();
      botServer.closeAllConnections();
      await new Promise<void>((resolve) => botServer.close(() => resolve()));
    }
  });
});
