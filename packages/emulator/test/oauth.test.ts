import type { EmulatorHandle } from "@b24kit/emulator";
import { control, testEmulator } from "@b24kit/emulator/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call } from "./helpers.js";

async function token(emu: EmulatorHandle, params: Record<string, string>, method: "GET" | "POST" = "POST") {
  const body = new URLSearchParams(params).toString();
  const res =
    method === "GET"
      ? await fetch(`${emu.authUrl}oauth/token/?${body}`)
      : await fetch(`${emu.authUrl}oauth/token/`, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body,
        });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

describe("OAuth server (docs/protocol.md §1)", () => {
  let emu: EmulatorHandle;
  let memberId: string;
  let app: { clientId: string; clientSecret: string };

  beforeAll(async () => {
    emu = await testEmulator();
    memberId = emu.portals[0]!.memberId as string;
    app = (
      await control(emu).send("POST", "apps", {
        scopes: ["crm", "user"],
        appUrl: "https://app.example.test/start?x=1",
      })
    ).body as any;
    const install = await control(emu).send("POST", `portals/${memberId}/install`, {
      clientId: app.clientId,
    });
    expect(install.status).toBe(201);
  });
  afterAll(() => emu.close());

  it("redirects /oauth/authorize/ with code, state, domain, member_id, scope and server_domain", async () => {
    const res = await fetch(`${emu.url}oauth/authorize/?client_id=${app.clientId}&state=9f2c1e`, {
      redirect: "manual",
    });
    expect(res.status).toBe(302);
    const location = res.headers.get("location")!;
    expect(location.startsWith("https://app.example.test/start?x=1&")).toBe(true);
    expect(location).toContain("scope=crm%2Cuser");
    const q = new URL(location).searchParams;
    expect(q.get("state")).toBe("9f2c1e");
    expect(q.get("member_id")).toBe(memberId);
    expect(q.get("domain")).toBe(emu.portals[0]!.domain);
    expect(q.get("server_domain")).toBe(new URL(emu.authUrl).host);
    expect(q.get("code")).toMatch(/^[0-9a-f]{32}$/);
  });

  it("shows its own error page (no redirect) for an app that is not installed", async () => {
    const other = (
      await control(emu).send("POST", "apps", { scopes: ["crm"], appUrl: "https://x.example.test/" })
    ).body;
    const res = await fetch(`${emu.url}oauth/authorize/?client_id=${other.clientId}`, { redirect: "manual" });
    expect(res.status).toBe(400);
    expect(res.headers.get("location")).toBeNull();
    expect(res.headers.get("content-type")).toContain("text/html");
  });

  it("exchanges a code once (GET with query), with the documented response fields", async () => {
    const res = await fetch(`${emu.url}oauth/authorize/?client_id=${app.clientId}`, { redirect: "manual" });
    const code = new URL(res.headers.get("location")!).searchParams.get("code")!;
    const params = {
      grant_type: "authorization_code",
      client_id: app.clientId,
      client_secret: app.clientSecret,
      code,
    };
    const first = await token(emu, params, "GET");
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      expires_in: 3600,
      scope: "crm,user",
      domain: new URL(emu.authUrl).host,
      server_endpoint: `${emu.authUrl}rest/`,
      client_endpoint: emu.portals[0]!.clientEndpoint,
      member_id: memberId,
      user_id: 1,
      status: "L",
    });
    expect(first.body.expires).toBeGreaterThan(Date.now() / 1000 + 3500);
    const profile = await call(first.body.client_endpoint, "profile", { auth: first.body.access_token });
    expect(profile.status).toBe(200);
    expect((profile.body.result as any).ID).toBe("1");

    const again = await token(emu, params, "GET");
    expect(again).toEqual({
      status: 400,
      body: { error: "invalid_grant", error_description: expect.any(String) },
    });
  });

  it("refuses a code older than 30 seconds", async () => {
    const res = await fetch(`${emu.url}oauth/authorize/?client_id=${app.clientId}`, { redirect: "manual" });
    const code = new URL(res.headers.get("location")!).searchParams.get("code")!;
    await control(emu).send("POST", "clock", { advanceSeconds: 31 });
    const r = await token(emu, {
      grant_type: "authorization_code",
      client_id: app.clientId,
      client_secret: app.clientSecret,
      code,
    });
    expect(r.status).toBe(400);
    expect(r.body.error).toBe("invalid_grant");
  });

  it("expires access tokens after 3600 s and rotates refresh tokens (a used one is refused)", async () => {
    const install = await control(emu).send("POST", `portals/${memberId}/install`, {
      clientId: app.clientId,
    });
    const auth = install.body.auth;
    const ok = await call(auth.client_endpoint, "profile", { auth: auth.access_token });
    expect(ok.status).toBe(200);

    await control(emu).send("POST", "clock", { advanceSeconds: 3601 });
    const expired = await call(auth.client_endpoint, "profile", { auth: auth.access_token });
    expect(expired.status).toBe(401);
    expect(expired.body.error).toBe("expired_token");

    const refreshed = await token(emu, {
      grant_type: "refresh_token",
      client_id: app.clientId,
      client_secret: app.clientSecret,
      refresh_token: auth.refresh_token,
    });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.refresh_token).not.toBe(auth.refresh_token);
    expect(refreshed.body.access_token).not.toBe(auth.access_token);
    expect((await call(auth.client_endpoint, "profile", { auth: refreshed.body.access_token })).status).toBe(
      200,
    );

    const reused = await token(emu, {
      grant_type: "refresh_token",
      client_id: app.clientId,
      client_secret: app.clientSecret,
      refresh_token: auth.refresh_token,
    });
    expect(reused.status).toBe(400);
    expect(reused.body.error).toBe("invalid_grant");

    const next = await token(emu, {
      grant_type: "refresh_token",
      client_id: app.clientId,
      client_secret: app.clientSecret,
      refresh_token: refreshed.body.refresh_token,
    });
    expect(next.status).toBe(200);
  });

  it("answers the auth-server errors of §1.5", async () => {
    const wrongSecret = await token(emu, {
      grant_type: "refresh_token",
      client_id: app.clientId,
      client_secret: "nope",
      refresh_token: "x",
    });
    expect(wrongSecret).toEqual({
      status: 401,
      body: { error: "invalid_client", error_description: expect.any(String) },
    });
    const noGrant = await token(emu, { client_id: app.clientId, client_secret: app.clientSecret });
    expect(noGrant.body.error).toBe("invalid_request");
    const credentials = await token(emu, {
      grant_type: "client_credentials",
      client_id: app.clientId,
      client_secret: app.clientSecret,
    });
    expect(credentials.status).toBe(400);
    expect(credentials.body.error).toBe("unsupported_grant_type");

    const install = await control(emu).send("POST", `portals/${memberId}/install`, {
      clientId: app.clientId,
    });
    await control(emu).send("PATCH", `portals/${memberId}/apps/${app.clientId}`, { paymentRequired: true });
    const unpaid = await token(emu, {
      grant_type: "refresh_token",
      client_id: app.clientId,
      client_secret: app.clientSecret,
      refresh_token: install.body.auth.refresh_token,
    });
    // 200 with the error in the body, as the official PHP SDK expects it (see the README's settings).
    expect(unpaid.status).toBe(200);
    expect(unpaid.body.error).toBe("PAYMENT_REQUIRED");
    await control(emu).send("PATCH", `portals/${memberId}/apps/${app.clientId}`, { paymentRequired: false });
  });

  it("refuses a refresh token after its 180 days", async () => {
    const install = await control(emu).send("POST", `portals/${memberId}/install`, {
      clientId: app.clientId,
    });
    await control(emu).send("POST", "clock", { advanceSeconds: 180 * 24 * 3600 + 1 });
    const r = await token(emu, {
      grant_type: "refresh_token",
      client_id: app.clientId,
      client_secret: app.clientSecret,
      refresh_token: install.body.auth.refresh_token,
    });
    expect(r.status).toBe(400);
    expect(r.body.error).toBe("invalid_grant");
  });

  it("answers app.info on the auth server for any portal's token, and nothing else there", async () => {
    const other = (await control(emu).send("POST", "portals", { plan: "enterprise" })).body;
    const market = (await control(emu).send("POST", "apps", { scopes: ["crm"], local: false })).body;
    const { auth } = (
      await control(emu).send("POST", `portals/${other.memberId}/install`, { clientId: market.clientId })
    ).body;
    expect(auth.server_endpoint).toBe(`${emu.authUrl}rest/`);
    expect(auth.server_endpoint).not.toBe(auth.client_endpoint);
    const res = await fetch(`${auth.server_endpoint}app.info?auth=${auth.access_token}`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as any).result).toMatchObject({
      INSTALLED: true,
      LICENSE_FAMILY: "ent",
      STATUS: "F",
    });
    // The auth server is not a portal: CRM methods do not exist there.
    const crm = await fetch(`${auth.server_endpoint}crm.deal.list?auth=${auth.access_token}`);
    expect([crm.status, ((await crm.json()) as any).error]).toEqual([404, "ERROR_METHOD_NOT_FOUND"]);
    // And on the default portal, another portal's token is unknown, even for app.info.
    const wrong = await fetch(`${emu.portals[0]!.clientEndpoint}app.info?auth=${auth.access_token}`);
    expect([wrong.status, ((await wrong.json()) as any).error]).toEqual([401, "invalid_token"]);
  });

  it("keeps a local app to the portal it was installed on", async () => {
    const other = (await control(emu).send("POST", "portals", {})).body;
    const r = await control(emu).send("POST", `portals/${other.memberId}/install`, {
      clientId: app.clientId,
    });
    expect(r.status).toBe(400);
    expect(r.body.error).toContain("local app of portal");
  });

  it("has no token endpoint on any portal's host, the default one included", async () => {
    const other = await control(emu).send("POST", "portals", {});
    for (const host of [other.body.domain, emu.portals[0]!.domain]) {
      const res = await fetch(`https://${host}/oauth/token/?grant_type=refresh_token`);
      expect(res.status).toBe(404);
    }
  });
});
