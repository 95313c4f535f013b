import { control, handlerServer, testEmulator, testPortal } from "@b24kit/emulator/testing";
import {
  B24Error,
  createB24Client,
  MemoryTokenStore,
  type OAuthTokens,
  oauthAuth,
  tokensFromInstall,
} from "@b24kit/rest";
import { afterAll, describe, expect, it } from "vitest";
import { recordingFetch } from "./helpers.js";

// tokensFromInstall: the portal's install requests, as the emulator sends them, into a token store.
const emu = await testEmulator();
const handler = await handlerServer();
afterAll(async () => {
  await handler.close();
  await emu.close();
});

/** A client on those tokens, as an app would build it. */
function appClient(tokens: OAuthTokens, app: { clientId: string; clientSecret: string }) {
  const store = new MemoryTokenStore(tokens);
  return createB24Client({ auth: oauthAuth({ memberId: tokens.memberId, ...app, store }), limits: false });
}

function refusal(run: () => unknown): B24Error {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(B24Error);
    return error as B24Error;
  }
  throw new Error("expected a refusal");
}

describe("tokensFromInstall", () => {
  it("reads ONAPPINSTALL's form in every shape an app may hold it, into tokens that work", async () => {
    const portal = await testPortal(emu);
    const app = await control(emu).registerApp({ scopes: ["crm", "user"], installHandlerUrl: handler.url });
    const installed = await control(emu).install(portal.memberId, app.clientId);
    const [post] = await handler.waitFor(
      (r) => r.body.event === "ONAPPINSTALL" && r.body.auth?.member_id === portal.memberId,
    );
    const now = Date.now();
    const expected = {
      accessToken: installed.auth.access_token,
      refreshToken: installed.auth.refresh_token,
      expiresAt: now + Number(installed.auth.expires_in) * 1000, // expires_in: seconds from now
      clientEndpoint: portal.clientEndpoint,
      serverEndpoint: installed.auth.server_endpoint,
      memberId: portal.memberId,
      userId: 1,
    };
    const shapes = {
      raw: post!.raw,
      params: new URLSearchParams(post!.raw),
      flat: Object.fromEntries(new URLSearchParams(post!.raw)),
      decoded: post!.body,
    };
    for (const [shape, payload] of Object.entries(shapes))
      expect(tokensFromInstall(payload, { nowMs: now }), shape).toMatchObject(expected);
    const b24 = appClient(tokensFromInstall(post!.raw), app);
    expect((await b24.call<{ ID: string }>("profile")).result.ID).toBe("1");
  });

  it("reads the installer page's POST, the portal's address taken from the URL's query", async () => {
    const portal = await testPortal(emu);
    const app = await control(emu).registerApp({
      scopes: ["user"],
      appUrl: handler.url,
      installUrl: handler.url,
    });
    await control(emu).install(portal.memberId, app.clientId);
    const page = await control(emu).openApp(portal.memberId, app.clientId, {});
    expect(page.install).toBe(true);
    const tokens = tokensFromInstall(new URLSearchParams(page.fields), { url: page.url });
    expect(tokens).toMatchObject({
      accessToken: page.fields.AUTH_ID,
      refreshToken: page.fields.REFRESH_ID,
      clientEndpoint: portal.clientEndpoint,
      memberId: portal.memberId,
    });
    expect((await appClient(tokens, app).call<{ ID: string }>("profile")).result.ID).toBe("1");
    // Without the URL the form alone does not say which portal it came from.
    expect(refusal(() => tokensFromInstall(new URLSearchParams(page.fields))).message).toContain("DOMAIN");
  });

  it("takes the absolute `expires` (Unix seconds) when `expires_in` is missing", () => {
    const tokens = tokensFromInstall(
      "auth[access_token]=a&auth[expires]=2000000000&auth[member_id]=m1&auth[client_endpoint]=https://p.example/rest/&auth[server_endpoint]=https://oauth.example/rest/",
    );
    expect(tokens.expiresAt).toBe(2_000_000_000_000);
    expect(tokens.refreshToken).toBe("");
  });

  it("refuses what is not an install payload with INVALID_INSTALL_PAYLOAD, naming what is wrong", () => {
    const base = {
      access_token: "a",
      member_id: "m1",
      client_endpoint: "https://p.example/rest/",
      server_endpoint: "https://oauth.example/rest/",
    };
    const empty = refusal(() => tokensFromInstall("event=ONCRMDEALADD"));
    expect(empty.code).toBe("INVALID_INSTALL_PAYLOAD");
    expect(empty.kind).toBe("usage");
    expect(empty.message).toContain("neither auth[access_token] (ONAPPINSTALL) nor AUTH_ID");
    const { member_id: _m, ...noMember } = base;
    expect(refusal(() => tokensFromInstall({ auth: noMember })).message).toContain("has no member_id");
    const script = { ...base, server_endpoint: "javascript:alert(1)" };
    expect(refusal(() => tokensFromInstall({ auth: script })).message).toContain(
      "server_endpoint is not an http(s) address",
    );
    expect(tokensFromInstall({ auth: base }).memberId).toBe("m1");
  });
});

describe("an empty token store", () => {
  it("fails with NO_AUTH_FOUND before sending anything, saying the portal's tokens are missing", async () => {
    const recorder = recordingFetch();
    const b24 = createB24Client({
      auth: oauthAuth({ memberId: "m1", clientId: "c", clientSecret: "s", store: new MemoryTokenStore() }),
      fetch: recorder.fetch,
      limits: false,
    });
    const error = (await b24.call("profile").catch((e: unknown) => e)) as B24Error;
    expect(error).toBeInstanceOf(B24Error);
    expect(error.code).toBe("NO_AUTH_FOUND");
    expect(error.message).toContain("no tokens stored for portal m1");
    expect(error.message).toContain("the portal's tokens are missing from the token store: install the app");
    expect(error.message).not.toContain("webhook");
    expect(recorder.requests).toEqual([]);
  });
});
