import { readFileSync } from "node:fs";
import { createSessionSigner } from "@b24kit/app";
import {
  control,
  openApp,
  openPlacement,
  type PlacementRequest,
  testEmulator,
  testPortal,
  userToken,
  waitFor,
} from "@b24kit/emulator/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startApp } from "./app-harness.js";

// Two portals on one app: no route and no store call ever hands one portal's data to the other,
// and no secret reaches the audit table or the database file in clear (issue #9, security tests).
const emu = await testEmulator();
let h: Harness;
const portals: Array<{ memberId: string; request: PlacementRequest; applicationToken: string }> = [];
const secrets = new Set<string>();
afterAll(async () => {
  await h.close();
  await emu.close();
});

beforeAll(async () => {
  h = await startApp(emu, {
    registration: (url) => ({ appUrl: url, installUrl: url }),
    handlers: {
      placements: {
        CRM_DEAL_DETAIL_TAB: async (ctx) => {
          await ctx.kv.set("owner", ctx.tenant.memberId);
          return `<main data-member="${ctx.tenant.memberId}">${String(await ctx.kv.get("owner"))}</main>`;
        },
      },
      api: { whoami: (ctx) => ({ memberId: ctx.tenant.memberId, userId: ctx.userId }) },
    },
  });
  for (let i = 0; i < 2; i++) {
    const portal = await testPortal(emu);
    await control(emu).install(portal.memberId, h.clientId);
    const installer = await openApp(emu, portal.memberId, { clientId: h.clientId });
    for (const key of ["AUTH_ID", "REFRESH_ID", "APPLICATION_TOKEN"])
      secrets.add(installer.request.fields[key] ?? "");
    await control(emu).finishInstall(portal.memberId, h.clientId);
    await waitFor(async () => (await h.app.tenants.get(portal.memberId))?.state === "active");
    const opened = await openPlacement(emu, portal.memberId, {
      clientId: h.clientId,
      placement: "CRM_DEAL_DETAIL_TAB",
    });
    expect(opened.response.status).toBe(200);
    for (const key of ["AUTH_ID", "REFRESH_ID", "APPLICATION_TOKEN"])
      secrets.add(opened.request.fields[key] ?? "");
    const installation = await control(emu).request<{ applicationToken: string }>(
      "GET",
      `portals/${portal.memberId}/apps/${h.clientId}`,
    );
    portals.push({
      memberId: portal.memberId,
      request: opened.request,
      applicationToken: installation.applicationToken,
    });
    secrets.add(installation.applicationToken);
    const tokens = await userToken(emu, portal.memberId, h.clientId);
    secrets.add(tokens.access_token);
  }
  secrets.add(h.clientSecret);
  secrets.delete("");
});

async function post(url: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(fields).toString(),
  });
  return { status: res.status, text: await res.text() };
}

describe("routes never serve one portal's data to another", () => {
  it("placement: portal B's frame under portal A's member_id is refused", async () => {
    const [a, b] = portals as [(typeof portals)[0], (typeof portals)[0]];
    const forged = await post(b.request.url, { ...b.request.fields, member_id: a.memberId });
    expect(forged.status).toBeGreaterThanOrEqual(401);
    expect(forged.text).not.toContain(a.memberId);
  });

  it("app page: the same forgery on the app's URL is refused", async () => {
    const [a, b] = portals as [(typeof portals)[0], (typeof portals)[0]];
    const url = new URL(b.request.url);
    url.pathname = "/";
    const forged = await post(url.toString(), {
      ...b.request.fields,
      member_id: a.memberId,
      PLACEMENT: "DEFAULT",
    });
    expect(forged.status).toBeGreaterThanOrEqual(401);
    expect(forged.text).not.toContain(a.memberId);
  });

  it("events: portal B's application_token does not pass for portal A", async () => {
    const [a, b] = portals as [(typeof portals)[0], (typeof portals)[0]];
    const forged = await post(`${h.publicUrl}b24/events`, {
      event: "ONAPPUNINSTALL",
      "data[CLEAN]": "1",
      "auth[member_id]": a.memberId,
      "auth[application_token]": b.applicationToken,
    });
    expect(forged.status).toBe(401);
    expect((await h.app.tenants.get(a.memberId))?.state).toBe("active");
  });

  it("install handler: portal B's tokens cannot install or overwrite portal A", async () => {
    const [a, b] = portals as [(typeof portals)[0], (typeof portals)[0]];
    const bTokens = await userToken(emu, b.memberId, h.clientId);
    secrets.add(bTokens.access_token);
    secrets.add(bTokens.refresh_token);
    const before = await h.store.tenant(a.memberId).tokens.load();
    const forged = await post(`${h.publicUrl}b24/install`, {
      event: "ONAPPINSTALL",
      "auth[member_id]": a.memberId,
      "auth[access_token]": bTokens.access_token,
      "auth[refresh_token]": bTokens.refresh_token,
      "auth[client_endpoint]": bTokens.client_endpoint,
      "auth[application_token]": b.applicationToken,
    });
    expect(forged.status).toBe(403);
    expect(await h.store.tenant(a.memberId).tokens.load()).toEqual(before);
  });

  it("api and session renewal: a session is bound to its portal; a tampered one is refused", async () => {
    const [a, b] = portals as [(typeof portals)[0], (typeof portals)[0]];
    const page = await post(b.request.url, b.request.fields);
    const session = /"session":"([^"]+)"/.exec(page.text)?.[1] ?? "";
    expect(session).not.toBe("");
    const whoami = await fetch(`${h.publicUrl}b24/api/whoami`, {
      method: "POST",
      headers: { authorization: `Bearer ${session}`, "content-type": "application/json" },
      body: "{}",
    });
    expect(await whoami.json()).toEqual({ result: { memberId: b.memberId, userId: 1 } });
    // The page's keep-alive: a valid session gets a fresh token that works the same.
    const renewed = await fetch(`${h.publicUrl}b24/session/renew`, {
      method: "POST",
      headers: { authorization: `Bearer ${session}` },
    });
    expect(renewed.status).toBe(200);
    const fresh = ((await renewed.json()) as { session: string }).session;
    expect(fresh).not.toBe(session);
    const again = await fetch(`${h.publicUrl}b24/api/whoami`, {
      method: "POST",
      headers: { authorization: `Bearer ${fresh}`, "content-type": "application/json" },
      body: "{}",
    });
    expect(await again.json()).toEqual({ result: { memberId: b.memberId, userId: 1 } });
    // The same claims signed with another secret (what a forger can make) are refused.
    const forged = createSessionSigner("x".repeat(40), { ttlSeconds: 600 }).issue({
      memberId: a.memberId,
      userId: 1,
      placement: "CRM_DEAL_DETAIL_TAB",
    });
    for (const path of ["b24/api/whoami", "b24/session/renew"]) {
      const res = await fetch(`${h.publicUrl}${path}`, {
        method: "POST",
        headers: { authorization: `Bearer ${forged}` },
        body: "{}",
      });
      expect(res.status).toBe(401);
      expect(await res.text()).not.toContain(a.memberId);
    }
  });

  it("OAuth callback: a state issued for portal A does not take portal B's code", async () => {
    const [a] = portals as [(typeof portals)[0]];
    const start = await fetch(`${h.publicUrl}b24/oauth/start?member_id=${a.memberId}`, {
      redirect: "manual",
    });
    expect(start.status).toBe(302);
    const consent = new URL(start.headers.get("location") ?? "");
    expect(consent.origin).toBe(new URL((await h.app.tenants.get(a.memberId))?.clientEndpoint ?? "").origin);
    const callback = await fetch(
      `${h.publicUrl}b24/oauth/callback?state=${encodeURIComponent(consent.searchParams.get("state") ?? "")}&code=made-up`,
    );
    expect(callback.status).toBe(403);
  });

  it("the kv store answers each portal with its own value", async () => {
    for (const portal of portals)
      expect(JSON.parse((await h.store.tenant(portal.memberId).kv.get("owner")) ?? "null")).toBe(
        portal.memberId,
      );
  });
});

describe("no secret in the audit table, the database file or the logs", () => {
  it("scans every audit row, the SQLite file and every log line for every token and secret this test used", async () => {
    await h.app.close();
    const log = readFileSync(h.logFile, "utf8");
    expect(log.split("\n").length).toBeGreaterThan(10);
    for (const secret of secrets) expect(log.includes(secret), "a secret in the logs").toBe(false);
    const rows = await h.store.admin.audit({ limit: 10_000 });
    expect(rows.length).toBeGreaterThan(10);
    const dump = JSON.stringify(rows);
    for (const secret of secrets) expect(dump).not.toContain(secret);
    // WAL mode: recent writes are in the -wal file until a checkpoint.
    const bytes = [h.dbFile, `${h.dbFile}-wal`]
      .map((file) => {
        try {
          return readFileSync(file).toString("latin1");
        } catch {
          return "";
        }
      })
      .join("");
    for (const secret of secrets)
      expect(bytes.includes(secret), "a secret in clear in the database file").toBe(false);
  });
});
