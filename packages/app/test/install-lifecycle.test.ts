import { control, openApp, openPlacement, testEmulator, testPortal, waitFor } from "@b24kit/emulator/testing";
import { afterAll, describe, expect, it } from "vitest";
import { startApp } from "./app-harness.js";

// Install, update and uninstall against the emulator over real HTTP (docs/protocol.md §2).
const emu = await testEmulator();
afterAll(() => emu.close());

const tenantState = async (app: Awaited<ReturnType<typeof startApp>>["app"], memberId: string) =>
  (await app.tenants.get(memberId))?.state;

describe("install through the installer page (UI app)", () => {
  it("applies the manifest in the installer, becomes active on ONAPPINSTALL, then serves its placement", async () => {
    const portal = await testPortal(emu);
    const h = await startApp(emu, { registration: (url) => ({ appUrl: url, installUrl: url }) });
    try {
      const api = control(emu);
      await api.install(portal.memberId, h.clientId);
      const installer = await openApp(emu, portal.memberId, { clientId: h.clientId });
      expect(installer.request.install).toBe(true);
      expect(installer.response.status).toBe(200);
      const html = await installer.response.text();
      expect(html).toContain('"installFinish":true');
      expect(installer.response.headers.get("content-security-policy")).toBe(
        `frame-ancestors ${new URL(portal.clientEndpoint).origin}`,
      );
      expect(await tenantState(h.app, portal.memberId)).toBe("installing");
      const installation = await api.request<{
        placements: Array<{ placement: string; handler: string }>;
        events: Array<{ event: string; handler: string }>;
      }>("GET", `portals/${portal.memberId}/apps/${h.clientId}`);
      expect(installation.placements).toEqual([
        expect.objectContaining({
          placement: "CRM_DEAL_DETAIL_TAB",
          handler: `${h.publicUrl}b24/placements/CRM_DEAL_DETAIL_TAB`,
        }),
      ]);
      expect(installation.events.map((e) => e.event).sort()).toEqual([
        "ONAPPINSTALL",
        "ONAPPUNINSTALL",
        "ONAPPUPDATE",
      ]);

      // What the installer page's installFinish() does: the portal sends ONAPPINSTALL.
      await api.finishInstall(portal.memberId, h.clientId);
      await waitFor(async () => (await tenantState(h.app, portal.memberId)) === "active");

      const opened = await openPlacement(emu, portal.memberId, {
        clientId: h.clientId,
        placement: "CRM_DEAL_DETAIL_TAB",
        options: { ID: 7 },
      });
      expect(opened.response.status).toBe(200);
      const page = await opened.response.text();
      expect(page).toContain('<main id="deal">Deal 7</main>');
      expect(page).toContain("b24jssdk.js");
      expect(page).not.toContain(opened.request.fields.AUTH_ID ?? "no token");

      const metrics = await (await h.app.request("/metrics")).text();
      expect(metrics).toContain('b24kit_tenants{state="active"} 1');
      expect(metrics).toContain('b24kit_inbound_requests_total{surface="placement",outcome="ok"} 1');
      expect(metrics).toMatch(/b24kit_rest_calls_total\{method="placement.bind",outcome="ok"\} 1/);
      expect(metrics).not.toContain(portal.memberId);
    } finally {
      await h.close();
    }
  });
});

describe("headless install (install handler URL)", () => {
  it("confirms the portal through the OAuth server, stores it active with its bindings", async () => {
    const portal = await testPortal(emu);
    const h = await startApp(emu, {
      registration: (url) => ({ installHandlerUrl: `${url}b24/install` }),
      manifest: { version: "1", scopes: ["crm"], events: [{ event: "ONCRMDEALADD" }] },
    });
    try {
      const api = control(emu);
      await api.install(portal.memberId, h.clientId);
      await waitFor(async () => (await tenantState(h.app, portal.memberId)) === "active");
      const tenant = await h.app.tenants.get(portal.memberId);
      expect(tenant).toMatchObject({
        domain: portal.domain,
        clientEndpoint: portal.clientEndpoint,
        manifestVersion: "1",
      });
      const installation = await api.request<{ events: Array<{ event: string; handler: string }> }>(
        "GET",
        `portals/${portal.memberId}/apps/${h.clientId}`,
      );
      expect(installation.events.map((e) => e.event).sort()).toEqual([
        "ONAPPINSTALL",
        "ONAPPUNINSTALL",
        "ONAPPUPDATE",
        "ONCRMDEALADD",
      ]);
      // The runtime acts as the app on that portal with the stored (sealed) tokens.
      const profile = await h.app.forPortal(portal.memberId).call<{ ID: string }>("profile");
      expect(profile.result.ID).toBe("1");
    } finally {
      await h.close();
    }
  });
});

/** A UI app installed through its installer and finished, as a portal admin would. */
async function installedUiApp(memberId: string, manifest?: Parameters<typeof startApp>[1]["manifest"]) {
  const h = await startApp(emu, {
    registration: (url) => ({ appUrl: url, installUrl: url }),
    ...(manifest ? { manifest } : {}),
  });
  const api = control(emu);
  await api.install(memberId, h.clientId);
  const installer = await openApp(emu, memberId, { clientId: h.clientId });
  expect(installer.response.status).toBe(200);
  await api.finishInstall(memberId, h.clientId);
  await waitFor(async () => (await tenantState(h.app, memberId)) === "active");
  return h;
}

const bindings = (memberId: string, clientId: string) =>
  control(emu).request<{
    applicationToken: string;
    placements: Array<{ placement: string }>;
    events: Array<{ event: string }>;
  }>("GET", `portals/${memberId}/apps/${clientId}`);

describe("update and uninstall (ONAPPUPDATE, ONAPPUNINSTALL)", () => {
  it("an update brings a new application_token and the bindings back; the old token stops working", async () => {
    const portal = await testPortal(emu);
    const h = await installedUiApp(portal.memberId);
    try {
      const api = control(emu);
      const before = await bindings(portal.memberId, h.clientId);
      await api.request("POST", `portals/${portal.memberId}/apps/${h.clientId}/update`, {});
      await waitFor(async () => {
        const now = await bindings(portal.memberId, h.clientId);
        return now.placements.length === 1 && now.events.length === 3;
      });
      const after = await bindings(portal.memberId, h.clientId);
      expect(after.applicationToken).not.toBe(before.applicationToken);
      expect(after.events.map((e) => e.event).sort()).toEqual([
        "ONAPPINSTALL",
        "ONAPPUNINSTALL",
        "ONAPPUPDATE",
      ]);
      // A forged uninstall with the old token is refused and changes nothing.
      const forged = await h.app.request("/b24/events", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          event: "ONAPPUNINSTALL",
          "data[CLEAN]": "1",
          "auth[member_id]": portal.memberId,
          "auth[application_token]": before.applicationToken,
        }).toString(),
      });
      expect(forged.status).toBe(401);
      expect(await tenantState(h.app, portal.memberId)).toBe("active");
    } finally {
      await h.close();
    }
  });

  it("uninstall without CLEAN: tokens gone at once, the tenant kept as uninstalled", async () => {
    const portal = await testPortal(emu);
    const h = await installedUiApp(portal.memberId);
    try {
      await control(emu).request("DELETE", `portals/${portal.memberId}/apps/${h.clientId}`);
      await waitFor(async () => (await tenantState(h.app, portal.memberId)) === "uninstalled");
      expect(await h.store.tenant(portal.memberId).tokens.load()).toBeUndefined();
      await expect(h.app.forPortal(portal.memberId).call("profile")).rejects.toMatchObject({
        code: "NO_AUTH_FOUND",
      });
    } finally {
      await h.close();
    }
  });

  it("uninstall with CLEAN=1: every row of the tenant is purged", async () => {
    const portal = await testPortal(emu);
    const h = await installedUiApp(portal.memberId);
    try {
      await h.store.tenant(portal.memberId).kv.set("settings", "{}");
      await control(emu).request("DELETE", `portals/${portal.memberId}/apps/${h.clientId}?clean=1`);
      await waitFor(async () => (await h.app.tenants.get(portal.memberId)) === undefined);
      const tenant = h.store.tenant(portal.memberId);
      expect(await tenant.kv.keys()).toEqual([]);
      expect(await tenant.capabilities.get()).toBeUndefined();
      expect(await tenant.audit.query()).toEqual([]);
      expect(await tenant.tokens.load()).toBeUndefined();
    } finally {
      await h.close();
    }
  });
});

describe("domain change (same member_id, new address)", () => {
  it("the client follows the move after the OAuth server confirms it, and the tenant records it", async () => {
    const portal = await testPortal(emu);
    const h = await installedUiApp(portal.memberId);
    try {
      const moved = await control(emu).moveDomain(portal.memberId);
      const profile = await h.app.forPortal(portal.memberId).call<{ ID: string }>("profile");
      expect(profile.result.ID).toBe("1");
      await waitFor(async () => (await h.app.tenants.get(portal.memberId))?.domain === moved.domain);
      expect((await h.app.tenants.get(portal.memberId))?.clientEndpoint).toBe(moved.clientEndpoint);
      // A placement opened at the new address is verified through the OAuth server and served.
      const opened = await openPlacement(emu, portal.memberId, {
        clientId: h.clientId,
        placement: "CRM_DEAL_DETAIL_TAB",
        options: { ID: 3 },
      });
      expect(new URL(opened.request.url).searchParams.get("DOMAIN")).toBe(moved.domain);
      expect(opened.response.status).toBe(200);
    } finally {
      await h.close();
    }
  });
});
