import { control, handlerServer, openApp, testEmulator, testPortal, waitFor } from "@b24kit/emulator/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startApp } from "./app-harness.js";

// Nothing from a frame POST is trusted before it is verified (issue #9; docs/protocol.md §2.2, §2.9).
const emu = await testEmulator();
const foreign = await handlerServer();
let h: Harness;
let memberId: string;
afterAll(async () => {
  await h.close();
  await foreign.close();
  await emu.close();
});

beforeAll(async () => {
  const portal = await testPortal(emu);
  memberId = portal.memberId;
  h = await startApp(emu, { registration: (url) => ({ appUrl: url, installUrl: url }) });
  await control(emu).install(memberId, h.clientId);
  await openApp(emu, memberId, { clientId: h.clientId });
  await control(emu).finishInstall(memberId, h.clientId);
  await waitFor(async () => (await h.app.tenants.get(memberId))?.state === "active");
});

/** The portal's real request for the deal tab, to be tampered with. */
async function dealTabRequest() {
  return control(emu).openPlacement(memberId, {
    clientId: h.clientId,
    placement: "CRM_DEAL_DETAIL_TAB",
    options: { ID: 1 },
  });
}

async function post(url: string, fields: Record<string, string>) {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields).toString(),
  });
  return { status: res.status, body: (await res.text()) as string };
}

describe("forged placement POSTs are rejected", () => {
  it("the genuine request is served", async () => {
    const real = await dealTabRequest();
    expect((await post(real.url, real.fields)).status).toBe(200);
  });

  it("a wrong AUTH_ID: 401, the handler never runs", async () => {
    const real = await dealTabRequest();
    const answer = await post(real.url, { ...real.fields, AUTH_ID: "f".repeat(32) });
    expect(answer.status).toBe(401);
    expect(JSON.parse(answer.body)).toMatchObject({ error: "FRAME_TOKEN_REJECTED" });
    expect(answer.body).not.toContain("Deal 1");
  });

  it("a foreign DOMAIN: refused through the OAuth server, and the foreign host is never called", async () => {
    const real = await dealTabRequest();
    const url = new URL(real.url);
    url.searchParams.set("DOMAIN", new URL(foreign.url).host);
    const answer = await post(url.toString(), real.fields);
    expect(answer.status).toBe(403);
    expect(JSON.parse(answer.body).error).toMatch(/FRAME_DOMAIN_MISMATCH|PORTAL_UNCONFIRMED/);
    expect(foreign.requests).toEqual([]);
    expect((await h.app.tenants.get(memberId))?.domain).not.toBe(new URL(foreign.url).host);
  });

  it("a foreign DOMAIN with a made-up refresh token: the OAuth server refuses it", async () => {
    const real = await dealTabRequest();
    const url = new URL(real.url);
    url.searchParams.set("DOMAIN", new URL(foreign.url).host);
    const answer = await post(url.toString(), { ...real.fields, REFRESH_ID: "0".repeat(32) });
    expect(answer.status).toBe(403);
    expect(foreign.requests).toEqual([]);
  });

  it("a wrong APPLICATION_TOKEN with a valid AUTH_ID: 403", async () => {
    const real = await dealTabRequest();
    const answer = await post(real.url, { ...real.fields, APPLICATION_TOKEN: "0".repeat(32) });
    expect(answer.status).toBe(403);
    expect(JSON.parse(answer.body)).toMatchObject({ error: "APPLICATION_TOKEN_MISMATCH" });
  });

  it("a portal that never installed the app: nothing is created", async () => {
    const real = await dealTabRequest();
    const stranger = "a".repeat(32);
    const answer = await post(real.url, { ...real.fields, member_id: stranger });
    expect(answer.status).toBe(403);
    expect(await h.app.tenants.get(stranger)).toBeUndefined();
  });

  it("a request for another placement than the handler's: 400", async () => {
    const real = await dealTabRequest();
    const answer = await post(real.url, { ...real.fields, PLACEMENT: "CRM_LEAD_DETAIL_TAB" });
    expect(answer.status).toBe(400);
  });
});

describe("a portal without CRM", () => {
  it("shows the plain-words notice instead of an error", async () => {
    const portal = await testPortal(emu, { modules: ["tasks", "disk", "im"] });
    const app = await startApp(emu, {
      registration: (url) => ({ appUrl: url, installUrl: url }),
      handlers: {
        page: async (ctx) => {
          if (ctx.options.deal) await ctx.b24.call("crm.deal.get", { id: ctx.options.deal });
          return `${await ctx.capabilityNotice()}<main id="app">Dashboard</main>`;
        },
        placements: {},
        api: { deal: async (ctx) => (await ctx.b24.call("crm.deal.get", { id: 1 })).result },
      },
    });
    try {
      await control(emu).install(portal.memberId, app.clientId);
      const installer = await openApp(emu, portal.memberId, { clientId: app.clientId });
      expect(installer.response.status).toBe(200);
      expect(await installer.response.text()).toMatch(/not available on this portal/i);
      await control(emu).finishInstall(portal.memberId, app.clientId);
      await waitFor(async () => (await app.app.tenants.get(portal.memberId))?.state === "active");
      expect(await app.app.can(portal.memberId, "crm.deal.get")).toBe(false);
      const page = await openApp(emu, portal.memberId, { clientId: app.clientId });
      expect(page.response.status).toBe(200);
      const html = await page.response.text();
      expect(html).toContain('<main id="app">Dashboard</main>');
      expect(html).toMatch(/CRM/);
      expect(html).not.toMatch(/ERROR_METHOD_NOT_FOUND|insufficient_scope|Exception/);
      // A handler that calls a method the portal lacks: plain words in the frame, a typed error from the API.
      const dealPage = await openApp(emu, portal.memberId, {
        clientId: app.clientId,
        options: { deal: "1" },
      });
      expect(dealPage.response.status).toBe(200);
      const dealHtml = await dealPage.response.text();
      expect(dealHtml).not.toContain("Dashboard");
      expect(dealHtml).toMatch(/CRM/);
      const session = /"session":"([^"]+)"/.exec(html)?.[1] ?? "";
      const api = await fetch(`${app.publicUrl}b24/api/deal`, {
        method: "POST",
        headers: { authorization: `Bearer ${session}`, "content-type": "application/json" },
        body: "{}",
      });
      expect(api.status).toBe(403);
      expect(await api.json()).toMatchObject({ error: "MISSING_CAPABILITY" });
    } finally {
      await app.close();
    }
  });
});

describe("a portal on a plan without the REST API (free)", () => {
  it("answers the app's page with plain words instead of a refusal, and stores nothing", async () => {
    const free = await testPortal(emu, { plan: "free" });
    await control(emu).install(free.memberId, h.clientId);
    const opened = await openApp(emu, free.memberId, { clientId: h.clientId });
    const html = await opened.response.text();
    expect(opened.response.status, html).toBe(200);
    expect(html).toContain("data-b24kit-notice");
    expect(html).toContain("does not include the REST API");
    expect(opened.response.headers.get("content-security-policy")).toBe(
      `frame-ancestors ${new URL(free.clientEndpoint).origin}`,
    );
    expect(html).not.toContain(opened.request.fields.AUTH_ID ?? "no token");
    // Nothing could be verified, so nothing was kept.
    expect(await h.app.tenants.get(free.memberId)).toBeUndefined();
  });
});
