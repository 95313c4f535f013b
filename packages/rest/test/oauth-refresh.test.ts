import type { EmulatorHandle } from "@b24kit/emulator";
import { control, installApp, testEmulator, testPortal } from "@b24kit/emulator/testing";
import {
  B24Error,
  createB24Client,
  MemoryTokenStore,
  type OAuthTokens,
  type StoredTokens,
  tokenEndpoint,
  tokensFromAuth,
} from "@b24kit/rest";
import { afterAll, describe, expect, it } from "vitest";
import { appAuth } from "./helpers.js";

async function refreshCount(emu: EmulatorHandle): Promise<number> {
  return (await control(emu).request<any>("GET", "oauth/stats")).byGrant.refresh_token ?? 0;
}

const emu = await testEmulator();
const portal = await testPortal(emu);
afterAll(() => emu.close());

describe("OAuth auth: refresh on expiry, single-flight, compare-and-swap", () => {
  it("derives the token endpoint from server_endpoint", () => {
    expect(tokenEndpoint("https://oauth.bitrix.info/rest/")).toBe("https://oauth.bitrix.info/oauth/token/");
    expect(tokenEndpoint("https://oauth.bitrix24.tech/rest")).toBe(
      "https://oauth.bitrix24.tech/oauth/token/",
    );
  });

  it("refreshes once for 20 concurrent calls after expiry and stores the rotated pair", async () => {
    const app = await installApp(emu, portal.memberId);
    const store = new MemoryTokenStore(tokensFromAuth(app.auth));
    const refreshed: OAuthTokens[] = [];
    const client = createB24Client({
      auth: appAuth(app, store, { onRefresh: (t) => refreshed.push(t) }),
      limits: false,
    });
    await client.call("profile");
    const before = await refreshCount(emu);
    await control(emu).advanceClock(3700);
    const results = await Promise.all(Array.from({ length: 20 }, () => client.call("crm.deal.list")));
    expect(results).toHaveLength(20);
    expect((await refreshCount(emu)) - before).toBe(1);
    const stored = (await store.load())!;
    expect(stored.version).toBe(2);
    expect(stored.tokens.refreshToken).not.toBe(app.auth.refresh_token);
    expect(refreshed).toHaveLength(1);
  });

  it("with refreshAheadMs renews a token about to expire before using it: the portal never sees it expire", async () => {
    const app = await installApp(emu, portal.memberId);
    // Valid for 30 more seconds: inside a 60 s renewal window.
    const store = new MemoryTokenStore({ ...tokensFromAuth(app.auth), expiresAt: Date.now() + 30_000 });
    const client = createB24Client({ auth: appAuth(app, store, { refreshAheadMs: 60_000 }), limits: false });
    const before = await refreshCount(emu);
    await control(emu).resetStats(portal.memberId);
    await client.call("profile");
    expect((await refreshCount(emu)) - before).toBe(1);
    expect((await store.load())!.tokens.accessToken).not.toBe(app.auth.access_token);
    expect((await control(emu).stats(portal.memberId)).errors).toEqual({});
    // Far from expiry: no further renewal.
    await client.call("profile");
    expect((await refreshCount(emu)) - before).toBe(1);
  });

  it("recovers when another process rotated the refresh token first (invalid_grant, then re-read)", async () => {
    const app = await installApp(emu, portal.memberId);
    const initial = tokensFromAuth(app.auth);
    const shared = new MemoryTokenStore(initial);
    // Another process refreshes and saves the new pair; this client's store read lags behind once.
    const other = createB24Client({
      auth: appAuth(app, shared),
      limits: false,
    });
    let staleReads = 2;
    const lagging = {
      load: async (): Promise<StoredTokens | undefined> =>
        staleReads-- > 0 ? { tokens: initial, version: 1 } : shared.load(),
      save: (t: OAuthTokens, v: number) => shared.save(t, v),
    };
    const client = createB24Client({
      auth: appAuth(app, lagging),
      limits: false,
    });
    await control(emu).advanceClock(3700);
    await other.call("profile"); // rotates the pair (401 → refresh → retry)
    await expect(client.call("profile")).resolves.toMatchObject({ result: { ID: "1" } });
    expect((await shared.load())!.version).toBe(2);
  });

  it("says the app's payment is due when the OAuth server refuses with PAYMENT_REQUIRED", async () => {
    const app = await installApp(emu, portal.memberId);
    const store = new MemoryTokenStore(tokensFromAuth(app.auth));
    const client = createB24Client({
      auth: appAuth(app, store),
      limits: false,
    });
    await control(emu).request<any>("PATCH", `portals/${portal.memberId}/apps/${app.clientId}`, {
      paymentRequired: true,
    });
    await control(emu).advanceClock(3700);
    const error = (await client.call("profile").catch((e: unknown) => e)) as B24Error;
    expect(error).toMatchObject({ code: "PAYMENT_REQUIRED", kind: "access", retryable: false });
    expect(error.message).toContain("paid period on this portal is over");
  });

  it("fails clearly when the refresh token is dead", async () => {
    const app = await installApp(emu, portal.memberId);
    const store = new MemoryTokenStore({ ...tokensFromAuth(app.auth), refreshToken: "dead" });
    const client = createB24Client({
      auth: appAuth(app, store),
      limits: false,
    });
    await control(emu).advanceClock(3700);
    const error = (await client.call("profile").catch((e: unknown) => e)) as B24Error;
    expect(error).toBeInstanceOf(B24Error);
    expect(error).toMatchObject({ code: "invalid_grant", kind: "auth", retryable: false });
    expect(error.message).toContain("reinstalled");
  });
});
