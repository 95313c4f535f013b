import { mkdirSync } from "node:fs";
import { hashOperatorPassword, TokenCipher, TokenVault } from "@b24kit/app";
import type { EmulatorHandle } from "@b24kit/emulator";
import { control, launchBrowser, testEmulator, testPortal, waitFor } from "@b24kit/emulator/testing";
import { B24Error } from "@b24kit/rest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startApp } from "./app-harness.js";

// The operator console in real Chromium, against the runtime served over HTTP and a portal of the
// emulator: sign-in, the tenant list, a chart drawn from stored samples, the audit search finding
// a failed call, a dead letter replayed, the actions; then every page scanned for the secrets.
const OUT = new URL("../../../.test-output/console/", import.meta.url);
mkdirSync(OUT, { recursive: true });
const PASSWORD = "operator password 42";
let emu: EmulatorHandle;
let browser: Browser;
let context: BrowserContext;
let h: Harness;
let memberId: string;
let domain: string;
let failedMethodCode: string;
let scoringUp = false;
const scored: string[] = [];
/** Every secret the run met, by name: no console page may contain any of them. */
const secrets = new Map<string, string>();
/** Every page the operator saw (HTML as Chromium got it). */
const seen = new Map<string, string>();
let passwordHash: string;

async function shot(page: Page, name: string): Promise<void> {
  seen.set(name, await page.content());
  await page.screenshot({ path: new URL(`${name}.png`, OUT).pathname, fullPage: true });
}

beforeAll(async () => {
  emu = await testEmulator();
  const portal = await testPortal(emu, { plan: "professional" });
  memberId = portal.memberId;
  domain = portal.domain;
  passwordHash = await hashOperatorPassword(PASSWORD);
  h = await startApp(emu, {
    registration: (url) => ({ installHandlerUrl: `${url}b24/install` }),
    manifest: {
      version: "1",
      scopes: ["crm"],
      events: [{ event: "ONCRMLEADADD" }],
      requires: { methods: ["crm.deal.get"] },
    },
    queue: { policy: { maxAttempts: 1, backoffMs: 50 } },
    handlers: {
      events: {
        ONCRMLEADADD(ctx) {
          if (!scoringUp) throw new Error("the scoring service is down");
          scored.push(String(ctx.data.FIELDS.ID));
        },
      },
    },
    runtime: { console: { operators: [{ name: "ops", passwordHash }], failureDelayMs: 200 } },
    config: { metricsSampleSeconds: 0.25 },
  });
  const installed = await control(emu).install(memberId, h.clientId);
  await waitFor(async () => (await h.app.tenants.get(memberId))?.state === "active");
  secrets.set("client_secret", h.clientSecret);
  secrets.set("install access_token", installed.auth.access_token);
  secrets.set("install refresh_token", installed.auth.refresh_token);
  secrets.set("application_token", installed.auth.application_token);
  secrets.set("webhook code", /\/rest\/\d+\/([^/]+)\/?$/.exec(new URL(portal.adminWebhookUrl).pathname)![1]!);
  secrets.set("session secret", h.app.config.sessionSecret);
  secrets.set("encryption key", Object.values(h.app.config.encryptionKeys)[0]!);
  secrets.set("operator password hash", passwordHash);
  secrets.set("operator password", PASSWORD);

  // A call that fails: the incident the operator will look for.
  try {
    await h.app.forPortal(memberId).call("crm.deal.nonexistent", { id: 1 });
  } catch (error) {
    failedMethodCode = error instanceof B24Error ? error.code : "none";
  }
  expect(failedMethodCode).toBe("ERROR_METHOD_NOT_FOUND");
  // Some traffic for the charts, and an event whose handler fails: a dead letter (maxAttempts 1).
  for (let i = 0; i < 5; i++) await h.app.forPortal(memberId).call("crm.deal.list", { select: ["ID"] });
  await h.app.forPortal(memberId).call("crm.lead.add", { fields: { TITLE: "Hot lead" } });
  await waitFor(async () => ((await h.app.queue?.deadLetters({ memberId })) ?? []).length === 1, {
    timeoutMs: 20_000,
  });
  await h.app.audit.flush();
  await waitFor(async () => (await h.store.admin.metricSamples()).length >= 8, { timeoutMs: 10_000 });
  ({ browser, context } = await launchBrowser({ viewport: { width: 1360, height: 900 } }));
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await h?.close();
  await emu?.close();
});

describe("the operator console in Chromium", () => {
  let page: Page;

  it("refuses a wrong password, lets the operator in with the right one", { timeout: 60_000 }, async () => {
    page = await context.newPage();
    await page.goto(`${h.publicUrl}console/`);
    expect(new URL(page.url()).pathname).toBe("/console/login");
    await page.fill('input[name="name"]', "ops");
    await page.fill('input[name="password"]', "not the password");
    const [refused] = await Promise.all([page.waitForNavigation(), page.click("button")]);
    expect(refused?.status()).toBe(401);
    await expect.poll(() => page.textContent(".flash")).toContain("Wrong name or password");
    await shot(page, "01-login-refused");
    await page.fill('input[name="name"]', "ops");
    await page.fill('input[name="password"]', PASSWORD);
    await Promise.all([page.waitForURL(`${h.publicUrl}console/`), page.click("button")]);
    expect(await page.textContent("header")).toContain("Sign out ops");
    const cookies = await context.cookies();
    expect(cookies.find((c) => c.name === "b24kit_console")).toMatchObject({
      httpOnly: true,
      sameSite: "Strict",
    });
  });

  it("draws the charts from stored samples", async () => {
    await page.goto(`${h.publicUrl}console/`);
    const chart = page.locator('svg[aria-label="REST calls"]');
    expect(Number(await chart.getAttribute("data-points"))).toBeGreaterThan(2);
    const coords = (await chart.locator('g[data-line="ok"] polyline').getAttribute("points")) ?? "";
    expect(coords.split(" ").length).toBeGreaterThanOrEqual(2);
    expect(await chart.locator('g[data-line="ok"] circle').count()).toBe(coords.split(" ").length);
    // The calls made above show as a rate above zero somewhere on the line.
    const ys = coords.split(" ").map((p) => Number(p.split(",")[1]));
    expect(Math.min(...ys)).toBeLessThan(138);
    await shot(page, "02-overview-charts");
  });

  it("lists the installed portal with its plan, state, token health and last activity", async () => {
    await page.click('header a:text("Tenants")');
    const row = page.locator(`tr[data-member-id="${memberId}"]`);
    await expect.poll(() => row.count()).toBe(1);
    const text = (await row.textContent()) ?? "";
    expect(text).toContain(domain);
    expect(text).toContain("active");
    expect(text).toMatch(/expires in/);
    expect(text).not.toContain("not probed yet");
    await shot(page, "03-tenants");
  });

  it("finds the failed call in the tenant's audit log by method and error code", async () => {
    await page.click(`tr[data-member-id="${memberId}"] a`);
    expect(await page.textContent("h1")).toBe(domain);
    await shot(page, "04-tenant");
    await page.fill('input[name="since"]', "1h");
    await page.selectOption('select[name="kind"]', "rest");
    await page.fill('input[name="method"]', "crm.deal.nonexistent");
    await page.fill('input[name="code"]', failedMethodCode);
    await Promise.all([page.waitForURL(/\/audit\?/), page.click("form.search button")]);
    const rows = page.locator("table.audit tbody tr");
    expect(await rows.count()).toBe(1);
    const row = (await rows.first().textContent()) ?? "";
    expect(row).toContain("crm.deal.nonexistent");
    expect(row).toContain("error");
    expect(row).toContain(`error=${failedMethodCode}`);
    await shot(page, "05-audit-search");
    // Another code finds nothing.
    await page.fill('input[name="code"]', "QUERY_LIMIT_EXCEEDED");
    await Promise.all([page.waitForURL(/QUERY_LIMIT_EXCEEDED/), page.click("form.search button")]);
    expect(await page.locator("table.audit tbody tr").count()).toBe(0);
  });

  it("replays a dead-lettered event: the handler runs again and succeeds", { timeout: 30_000 }, async () => {
    await page.click('header a:text("Events")');
    const dead = page.locator("table.dead tbody tr");
    expect(await dead.count()).toBe(1);
    expect(await dead.first().textContent()).toContain("ONCRMLEADADD");
    expect(await dead.first().textContent()).toContain("the scoring service is down");
    await shot(page, "06-dead-letter");
    scoringUp = true;
    await Promise.all([page.waitForURL(/done=/), dead.first().locator("button").click()]);
    expect(page.url()).toMatch(/done=replay-ok/);
    expect(await page.textContent(".flash")).toContain("queued again");
    await waitFor(() => scored.length === 1, { timeoutMs: 15_000 });
    expect(await h.app.queue?.deadLetters({ memberId })).toEqual([]);
    await page.reload();
    expect(await page.locator("table.dead").count()).toBe(0);
    await shot(page, "07-replayed");
  });

  it("re-runs the probe and forces a token refresh; each action is audited", {
    timeout: 30_000,
  }, async () => {
    const vault = new TokenVault(
      h.store,
      new TokenCipher(
        Object.fromEntries(
          Object.entries(h.app.config.encryptionKeys).map(([k, v]) => [k, Buffer.from(v, "base64")]),
        ),
        h.app.config.encryptionKeyId,
      ),
    );
    const before = await vault.tokenStore(memberId).load();
    await page.goto(`${h.publicUrl}console/tenants/${memberId}`);
    await Promise.all([
      page.waitForURL(/done=probe-ok/),
      page.click('button:text("Re-run capability probe")'),
    ]);
    await Promise.all([page.waitForURL(/done=refresh-ok/), page.click('button:text("Force token refresh")')]);
    expect(await page.textContent(".flash")).toContain("The tokens were refreshed");
    const after = await vault.tokenStore(memberId).load();
    expect(after?.version).toBe((before?.version ?? 0) + 1);
    expect(after?.tokens.refreshToken).not.toBe(before?.tokens.refreshToken);
    secrets.set("refreshed access_token", after!.tokens.accessToken);
    secrets.set("refreshed refresh_token", after!.tokens.refreshToken);
    await h.app.audit.flush();
    const lines = await h.store.tenant(memberId).audit.query({ kinds: ["operator"] });
    expect(lines.map((l) => [l.action, l.outcome, l.detail?.operator])).toEqual([
      ["console token refresh", "ok", "ops"],
      ["console probe", "ok", "ops"],
      ["console replay", "ok", "ops"],
    ]);
    expect(
      (await h.store.tenant(memberId).audit.query({ kinds: ["oauth"], action: "refresh_token" }))[0]?.outcome,
    ).toBe("ok");
    await page.reload();
    await shot(page, "08-actions");
  });

  it("no console page holds a token, the client secret, a webhook code or a key", {
    timeout: 30_000,
  }, async () => {
    const cookie = (await context.cookies()).find((c) => c.name === "b24kit_console");
    const paths = [
      "console/",
      "console/?hours=6",
      "console/?hours=168",
      "console/tenants",
      "console/tenants?state=active",
      "console/events",
      `console/tenants/${memberId}`,
      `console/tenants/${memberId}/audit?limit=1000`,
      `console/tenants/${memberId}/audit?kind=oauth`,
      `console/tenants/${memberId}/audit?kind=inbound&limit=1000`,
      `console/tenants/${memberId}/audit?kind=lifecycle`,
      "console/login",
    ];
    for (const path of paths) {
      const response = await fetch(`${h.publicUrl}${path}`, {
        headers: { cookie: `b24kit_console=${cookie?.value}` },
        redirect: "manual",
      });
      expect(response.status, path).toBe(path === "console/login" ? 303 : 200);
      expect(response.headers.get("cache-control"), path).toBe("no-store");
      expect(response.headers.get("content-security-policy"), path).toContain("frame-ancestors 'none'");
      seen.set(path, await response.text());
    }
    expect(seen.get(`console/tenants/${memberId}/audit?limit=1000`)).toContain("POST /b24/install");
    expect(secrets.size).toBe(11);
    for (const [pageName, html] of seen)
      for (const [name, value] of secrets) expect(html.includes(value), `${name} on ${pageName}`).toBe(false);
  });
});
