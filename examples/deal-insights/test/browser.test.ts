import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { launchBrowser } from "@b24kit/emulator/testing";
import type { BrowserContext, FrameLocator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type StartedReferenceApp, startReferenceApp } from "./reference-app.js";

/**
 * What a new user sees after `npm start`, in headless Chromium against its own
 * processes. Screenshots go to .test-output/deal-insights/ on every run, and to
 * docs/screenshots/ (the README's) with B24KIT_SCREENSHOTS=1.
 */
const OUT = new URL("../../../.test-output/deal-insights/", import.meta.url);
const DOCS = new URL("../../../docs/screenshots/", import.meta.url);
const REFRESH_DOCS = process.env.B24KIT_SCREENSHOTS === "1";

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: fileURLToPath(new URL(`${name}.png`, OUT)) });
  if (REFRESH_DOCS)
    await page.screenshot({ path: fileURLToPath(new URL(`deal-insights-${name}.png`, DOCS)) });
}

/**
 * A call as the portal's admin. The test shares the portal's request budget (2 per second, 50 at
 * once, per portal and address) with the app it watches, so it waits and retries when the
 * portal says QUERY_LIMIT_EXCEEDED, as any client must (api-reference/limits.md).
 */
async function rest<T>(webhook: string, method: string, params: Record<string, unknown> = {}): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const res = await fetch(`${webhook}${method}.json`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(params),
    });
    const body = (await res.json()) as { result: T; error?: string };
    if (res.status === 503 && body.error === "QUERY_LIMIT_EXCEEDED" && attempt < 40) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      continue;
    }
    if (!res.ok) throw new Error(`${method}: ${res.status} ${JSON.stringify(body)}`);
    return body.result;
  }
}

/** Picks a user in the portal's "Acting as" switcher and waits for the page to come back. */
async function switchUser(page: Page, userId: number): Promise<void> {
  await Promise.all([
    page.waitForEvent("framenavigated", (f) => f === page.mainFrame()),
    page.selectOption("[data-ui-user]", String(userId)),
  ]);
  await page.waitForLoadState("load");
}

describe("Deal insights inside the emulated portal (Chromium, npm start's processes)", () => {
  let app: StartedReferenceApp;
  let context: BrowserContext;
  let closeBrowser: () => Promise<void>;
  let page: Page;
  let hook: string;

  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true });
    if (REFRESH_DOCS) mkdirSync(DOCS, { recursive: true });
    app = await startReferenceApp();
    hook = app.ready.adminWebhookUrl;
    ({ context, close: closeBrowser } = await launchBrowser());
    page = await context.newPage();
    await page.setViewportSize({ width: 1280, height: 800 });
  }, 90_000);
  afterAll(async () => {
    await closeBrowser?.();
    await app?.stop("SIGTERM");
  });

  const dealTab = async (dealId: number): Promise<FrameLocator> => {
    await page.goto(`${app.ready.portalUrl}crm/deal/details/${dealId}/`);
    await page.getByRole("tab", { name: "Insights" }).click();
    return page.frameLocator(".b24-tabs__panel.is-active iframe");
  };

  /** Presses the deal tab's "Recompute and save" once the SDK is up; what the tab then says and shows. */
  const pressTabButton = async (dealId: number): Promise<{ status: string; shown: string }> => {
    const tab = await dealTab(dealId);
    await expect
      .poll(() => tab.locator("html").getAttribute("data-b24kit"), { timeout: 15_000 })
      .toBe("ready");
    await tab.locator("#recompute").click();
    await expect
      .poll(() => tab.locator("#recompute-status").textContent(), { timeout: 15_000 })
      .not.toMatch(/^(Recomputing…)?$/);
    return {
      status: (await tab.locator("#recompute-status").textContent()) ?? "",
      shown: (await tab.locator("#score").textContent()) ?? "",
    };
  };

  it("shows a deal's tab with the deal, its contact, company and tasks from one batch", async () => {
    const deal = await rest<Record<string, string>>(hook, "crm.deal.get", { id: 3 });
    const contact = await rest<Record<string, string>>(hook, "crm.contact.get", { id: deal.CONTACT_ID });
    const company = await rest<Record<string, string>>(hook, "crm.company.get", { id: deal.COMPANY_ID });
    const stats = `${app.ready.controlUrl}portals/${app.ready.memberId}/stats`;
    await page.goto(`${app.ready.portalUrl}crm/deal/details/3/`);
    // The card's own Deal health frames (view and edit) verify themselves first: counted apart from the tab.
    await page
      .frameLocator("[data-uf-mode=view] iframe")
      .locator("#health-value")
      .waitFor({ timeout: 15_000 });
    await page
      .frameLocator("[data-uf-mode=edit] iframe")
      .locator("#health-edit")
      .waitFor({ timeout: 15_000 });
    await fetch(stats, { method: "DELETE" });
    await page.getByRole("tab", { name: "Insights" }).click();
    const frame = page.frameLocator(".b24-tabs__panel.is-active iframe");
    await expect.poll(() => frame.locator("#deal-title").textContent(), { timeout: 15_000 }).toBe(deal.TITLE);
    // Deal, contact, company and tasks came in one batch request: one HTTP request verified the
    // frame (app.info + profile), one read its settings (app.option.get), one batch did the rest.
    const { requests } = (await (await fetch(stats)).json()) as {
      requests: { total: number; byMethod: Record<string, number> };
    };
    expect(requests.byMethod).toMatchObject({
      batch: 2,
      "crm.deal.get": 1,
      "crm.contact.get": 1,
      "crm.company.get": 1,
      "tasks.task.list": 1,
    });
    expect(requests.total).toBe(3);
    expect(await frame.locator("#deal-contact").textContent()).toBe(`${contact.NAME} ${contact.LAST_NAME}`);
    expect(await frame.locator("#deal-company").textContent()).toBe(company.TITLE);
    expect(await frame.locator("#deal-tasks li").count()).toBeGreaterThan(0);
    expect(Number(await frame.locator("#score").textContent())).toBeGreaterThan(0);
    // The frame talks to the portal through the official SDK (B24Frame is up).
    await expect
      .poll(() => frame.locator("html").getAttribute("data-b24kit"), { timeout: 15_000 })
      .toBe("ready");
    await shot(page, "deal-tab");

    // The contact's card has the same app's tab: the contact's deals.
    await page.goto(`${app.ready.portalUrl}crm/contact/details/${deal.CONTACT_ID}/`);
    await page.getByRole("tab", { name: "Insights" }).click();
    const contactFrame = page.frameLocator(".b24-tabs__panel.is-active iframe");
    await expect
      .poll(() => contactFrame.locator("#contact-name").textContent(), { timeout: 15_000 })
      .toBe(`${contact.NAME} ${contact.LAST_NAME}`);
    expect(await contactFrame.locator("#contact-deals").textContent()).toContain(deal.TITLE);
  });

  it("saves a portal setting from the dashboard, and the toolbar button recomputes the score with it", async () => {
    const before = Number(await (await dealTab(3)).locator("#score").textContent());
    await page.goto(`${app.ready.portalUrl}crm/deal/list/`);
    await page.getByRole("link", { name: "Deal insights" }).first().click();
    const dashboard = page.frameLocator(".b24-page .b24-frame iframe");
    await expect
      .poll(() => dashboard.locator("#pipeline tbody tr").count(), { timeout: 15_000 })
      .toBeGreaterThan(3);
    await expect
      .poll(() => dashboard.locator("html").getAttribute("data-b24kit"), { timeout: 15_000 })
      .toBe("ready");
    await shot(page, "dashboard");
    // Deal 3 is worth less than this: it loses its "big deal" points.
    await dashboard.locator("#big-deal").fill("10000000");
    await dashboard.locator("#mine-only").check();
    await dashboard.getByRole("button", { name: "Save" }).click();
    await expect
      .poll(() => dashboard.locator("#settings-status").textContent(), { timeout: 15_000 })
      .toBe("Saved.");
    // The user's own option (user.option.set as that user) narrows their pipeline after a reload.
    const mine = await fetch(`${hook}crm.deal.list.json?filter[ASSIGNED_BY_ID]=1&select[]=ID`);
    const { total } = (await mine.json()) as { total: number };
    expect(total).toBeLessThan(36);
    await page.reload();
    await expect
      .poll(
        () => page.frameLocator(".b24-page .b24-frame iframe").locator("main p.muted").first().textContent(),
        {
          timeout: 15_000,
        },
      )
      .toContain(`${total} of your deals in the pipeline`);

    await page.goto(`${app.ready.portalUrl}crm/deal/details/3/`);
    await page.getByRole("button", { name: "Recompute score" }).click();
    const widget = page.frameLocator(".b24-slider iframe");
    await expect
      .poll(() => widget.locator("#score").textContent(), { timeout: 15_000 })
      .toBe(String(before - 10));
    expect(await widget.locator("#widget-status").textContent()).toBe("Recomputed and saved to the deal.");
    await shot(page, "toolbar-widget");
    expect(Number((await rest<Record<string, string>>(hook, "crm.deal.get", { id: 3 })).PROBABILITY)).toBe(
      before - 10,
    );
  });

  it("the tab's button acts as the user who pressed it: a role that may only read the deal saves nothing", async () => {
    // A colleague who may read every deal but change none (entity type 2 = deals).
    const created = await fetch(`${app.ready.controlUrl}portals/${app.ready.memberId}/users`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ NAME: "Rita", LAST_NAME: "Reader", crmRights: { "2": "read" } }),
    });
    const { user } = (await created.json()) as { user: { ID: number } };
    // The big-deal threshold the previous test raised left these deals' stored scores stale: a press
    // recomputes a new score, which the portal must refuse to save for Rita.
    const deals = await rest<Array<{ ID: string; PROBABILITY: string }>>(hook, "crm.deal.list", {
      filter: { ">=OPPORTUNITY": 50_000, "!ID": 3 },
      select: ["ID", "PROBABILITY"],
    });
    // The score the app computes (the admin's tab reads all that the app reads) against the stored one.
    let stale: { id: number; probability: string } | undefined;
    for (const deal of deals) {
      const tab = await dealTab(Number(deal.ID));
      await expect.poll(() => tab.locator("#score").textContent(), { timeout: 15_000 }).toMatch(/^\d+$/);
      if (Number(await tab.locator("#score").textContent()) === Number(deal.PROBABILITY)) continue;
      stale = { id: Number(deal.ID), probability: deal.PROBABILITY };
      break;
    }
    expect(stale, "a deal whose stored score differs from the one the app computes").toBeDefined();
    await switchUser(page, user.ID);
    try {
      expect((await pressTabButton(stale!.id)).status).toBe(
        "Your CRM role lets you see this deal but not change it, so its score was not saved.",
      );
      const after = await rest<Record<string, string>>(hook, "crm.deal.get", { id: stale!.id });
      expect(after.PROBABILITY).toBe(stale!.probability);
    } finally {
      await switchUser(page, 1);
    }
    // The same press by the admin saves the score the tab shows.
    const { status, shown } = await pressTabButton(stale!.id);
    expect(status).toBe("Saved to the deal.");
    expect((await rest<Record<string, string>>(hook, "crm.deal.get", { id: stale!.id })).PROBABILITY).toBe(
      shown,
    );
  });

  it("answers /deal in chat as the Insights bot on Chatbots 2.0, and the classic one still answers", async () => {
    await page.goto(`${app.ready.portalUrl}online/`);
    const v2Entry = page.locator(".b24-chat__entry", {
      hasText: "Insights",
      has: page.locator(".b24-badge--v2"),
    });
    expect(await v2Entry.count()).toBe(1);
    await v2Entry.click();
    await page.waitForURL(/\/online\/\?dialog=\d+/);
    await page.fill(".b24-chat__input", "/deal 3");
    await page.click(".b24-chat__composer button");
    await page.locator(".b24-msg--mine").getByText("/deal 3").waitFor();
    const deal = await rest<Record<string, string>>(hook, "crm.deal.get", { id: 3 });
    await page
      .locator(".b24-msg")
      .getByText(`Deal 3 "${deal.TITLE}": score ${deal.PROBABILITY}`)
      .waitFor({ timeout: 20_000 });
    await shot(page, "bot");
    // Deal 2 is Maria's: the bot works with the app's rights, so it keeps to the author's own deals.
    await page.fill(".b24-chat__input", "/deal 2");
    await page.click(".b24-chat__composer button");
    await page
      .locator(".b24-msg")
      .getByText("I can only tell you about deals you are responsible for.")
      .waitFor({ timeout: 20_000 });

    // The classic bot it migrated from: the same handlers, through imbot.message.add.
    await page.goto(`${app.ready.portalUrl}online/`);
    await page.locator(".b24-chat__entry", { hasText: "Insights (classic)" }).click();
    await page.waitForURL(/\/online\/\?dialog=\d+/);
    await page.fill(".b24-chat__input", "/help");
    await page.click(".b24-chat__composer button");
    await page
      .locator(".b24-msg")
      .getByText("/top — your best-scored deals")
      .last()
      .waitFor({ timeout: 20_000 });
  });

  it("rescoring a deal changed through REST happens in the background, and the tab shows it", async () => {
    await rest(hook, "crm.deal.update", { id: 5, fields: { STAGE_ID: "WON" } });
    await expect
      .poll(async () => (await rest<Record<string, string>>(hook, "crm.deal.get", { id: 5 })).PROBABILITY, {
        timeout: 20_000,
      })
      .toBe("100");
    const frame = await dealTab(5);
    await expect.poll(() => frame.locator("#score").textContent(), { timeout: 15_000 }).toBe("100");
    expect(await frame.locator("#score-source").textContent()).toContain("(event)");
  });

  it("the Score this deal robot: placed on a stage on the automation page, it scores a deal moved there", async () => {
    await page.goto(`${app.ready.portalUrl}crm/deal/list/`);
    await page.getByRole("link", { name: "Automation rules" }).click();
    await page.waitForURL(/\/crm\/deal\/automation\/0\/$/);
    const column = page.locator('[data-stage="FINAL_INVOICE"]');
    await column.locator("[data-robot-select]").selectOption({ label: "Score this deal" });
    await column.getByRole("button", { name: "Add" }).click();
    await page.getByText("Score this deal was added to Final Invoice.").waitFor();
    expect(await page.locator('[data-stage="FINAL_INVOICE"] [data-robot-code="score_deal"]').count()).toBe(1);
    await page.locator('[data-stage="FINAL_INVOICE"]').scrollIntoViewIfNeeded();
    await shot(page, "automation");

    // A deal in another stage, moved to Final invoice on its card as a person would.
    const deals = await rest<Array<{ ID: string; STAGE_ID: string }>>(hook, "crm.deal.list", {
      select: ["ID", "STAGE_ID"],
      filter: { "!STAGE_ID": ["FINAL_INVOICE", "WON", "LOSE"] },
    });
    const id = Number(deals[0]!.ID);
    await page.goto(`${app.ready.portalUrl}crm/deal/details/${id}/`);
    await page.fill("#field-STAGE_ID", "FINAL_INVOICE");
    await page.locator("[data-entity-form]").getByRole("button", { name: "Save" }).click();
    await page.waitForURL(/saved=Y/);
    // The robot's result on the deal's page: completed by the app, with the score it returned. Waited for
    // through the control API (no REST limits), not by reloading the card: each load opens the app's frames.
    const runs = `${app.ready.controlUrl}portals/${app.ready.memberId}/robot-runs`;
    await expect
      .poll(
        async () => {
          const { runs: list } = (await (await fetch(runs)).json()) as {
            runs: Array<{ ENTITY_ID: number; STATUS: string }>;
          };
          return list.find((r) => r.ENTITY_ID === id)?.STATUS;
        },
        { timeout: 20_000, interval: 250 },
      )
      .toBe("completed");
    await page.reload();
    expect(await page.locator("[data-robot-runs] [data-status]").first().getAttribute("data-status")).toBe(
      "completed",
    );
    const deal = await rest<Record<string, string>>(hook, "crm.deal.get", { id });
    expect(await page.locator('[data-robot-runs] [data-return="score"]').first().textContent()).toBe(
      `score: ${deal.PROBABILITY}`,
    );
    await page.locator("[data-robot-runs]").scrollIntoViewIfNeeded();
    await shot(page, "robot");
  });

  it("the Deal health field: rendered by the app on the deal card, set in the edit form, saved with the card", async () => {
    const id = 4;
    await page.goto(`${app.ready.portalUrl}crm/deal/details/${id}/`);
    const view = page.frameLocator("[data-uf-mode=view] iframe");
    await expect.poll(() => view.locator("#health-value").textContent(), { timeout: 15_000 }).toBe("Not set");
    const edit = page.frameLocator("[data-uf-mode=edit] iframe");
    await edit.getByRole("button", { name: "At risk" }).click();
    // The app's frame hands the value to the card's form (placement setValue) ...
    await expect
      .poll(() => page.locator('input[name="fields[UF_CRM_DEAL_HEALTH]"]').inputValue(), { timeout: 10_000 })
      .toBe("red");
    await page.locator("[data-uf-mode=edit]").scrollIntoViewIfNeeded();
    await shot(page, "field-type-edit");
    // ... which saves it with the rest of the card.
    await Promise.all([
      page.waitForURL(/saved=Y/),
      page.locator("[data-entity-form]").getByRole("button", { name: "Save" }).click(),
    ]);
    expect((await rest<Record<string, unknown>>(hook, "crm.deal.get", { id })).UF_CRM_DEAL_HEALTH).toBe(
      "red",
    );
    const saved = page.frameLocator("[data-uf-mode=view] iframe");
    await expect
      .poll(() => saved.locator("#health-value").textContent(), { timeout: 15_000 })
      .toBe("At risk");
    await page.locator("[data-uf-mode=view]").scrollIntoViewIfNeeded();
    await shot(page, "field-type");
  });

  it("tells a user without CRM rights and a portal without CRM what is missing, in plain words", async () => {
    const users = await rest<Array<{ ID: string; NAME: string }>>(hook, "user.get", {});
    const tom = Number(users.find((u) => u.NAME === "Tom")!.ID);
    await page.goto(`${app.ready.portalUrl}crm/deal/list/`);
    await switchUser(page, tom);
    await page.getByRole("link", { name: "Deal insights" }).first().click();
    const frame = page.frameLocator(".b24-page .b24-frame iframe");
    await expect
      .poll(() => frame.locator(".notice").textContent(), { timeout: 15_000 })
      .toContain("Your CRM role does not let you see deals");
    await shot(page, "no-rights");
    await switchUser(page, 1);

    const portals = await (await fetch(`${app.ready.controlUrl}portals`)).json();
    const noCrm = (portals as { portals: Array<{ memberId: string; domain: string }> }).portals.find(
      (p) => p.memberId !== app.ready.memberId,
    )!;
    await page.goto(`https://${noCrm.domain}/marketplace/`);
    await page.locator(`a[href^="/marketplace/app/"]`).first().click();
    const notice = page.frameLocator(".b24-frame iframe");
    await expect
      .poll(() => notice.locator("body").textContent(), { timeout: 15_000 })
      .toContain("This app needs CRM, which is not available in your Bitrix24.");
    await shot(page, "no-crm");
  });
});
