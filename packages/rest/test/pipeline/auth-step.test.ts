import {
  type B24Error,
  createB24Client,
  MemoryTokenStore,
  type OAuthTokens,
  oauthAuth,
  type RenewalEvent,
  webhookAuth,
} from "@b24kit/rest";
import { type FakeRequest, fail, fakeTransport, ok, redirect } from "@b24kit/rest/testing";
import { describe, expect, it } from "vitest";

const TOKEN_URL = "https://oauth.bitrix.info/oauth/token/";

function tokens(overrides: Partial<OAuthTokens> = {}): OAuthTokens {
  return {
    accessToken: "old-access",
    refreshToken: "old-refresh",
    expiresAt: Date.now() + 3_600_000,
    clientEndpoint: "https://acme.bitrix24.com/rest/",
    serverEndpoint: "https://oauth.bitrix.info/rest/",
    memberId: "m1",
    ...overrides,
  };
}

/** An OAuth server answer for member m1, naming the portal at `endpoint`. */
function granted(endpoint: string, n = 1) {
  return ok(undefined, {
    access_token: `new-access-${n}`,
    refresh_token: `new-refresh-${n}`,
    expires_in: 3600,
    client_endpoint: endpoint,
    server_endpoint: "https://oauth.bitrix.info/rest/",
    member_id: "m1",
  });
}

const hosts = (requests: FakeRequest[]) => requests.map((r) => new URL(r.url).host);

describe("auth step: credentials, renewal, domain moves (fake transport)", () => {
  it("renews once on expired_token and sends again with the new token; onRenewal is told", async () => {
    const transport = fakeTransport((r) => {
      if (r.url === TOKEN_URL) return granted("https://acme.bitrix24.com/rest/");
      return r.body.auth === "old-access"
        ? fail(401, "expired_token", "The access token provided has expired")
        : ok({ ID: 1 });
    });
    const renewals: RenewalEvent[] = [];
    const store = new MemoryTokenStore(tokens());
    const client = createB24Client({
      auth: oauthAuth({ memberId: "m1", clientId: "c", clientSecret: "s", store, fetch: transport }),
      fetch: transport,
      limits: false,
      onRenewal: (e) => renewals.push(e),
    });
    await expect(client.call("crm.deal.add", { fields: {} })).resolves.toMatchObject({ result: { ID: 1 } });
    // The first send was refused before running, so even a creating write is sent again.
    expect(transport.requests.map((r) => r.method)).toEqual(["crm.deal.add", "token", "crm.deal.add"]);
    expect(renewals).toEqual([{ portal: "m1", method: "crm.deal.add", code: "expired_token", ok: true }]);
    expect((await store.load())!.tokens.accessToken).toBe("new-access-1");
  });

  it("never follows a redirect at the token endpoint: nothing reaches the other address", async () => {
    const transport = fakeTransport((r) => {
      if (r.url === TOKEN_URL) return redirect("http://attacker.example.test/oauth/token/", 307);
      if (r.url.startsWith("http://attacker")) return granted("https://acme.bitrix24.com/rest/");
      return fail(401, "expired_token");
    });
    const renewals: RenewalEvent[] = [];
    const client = createB24Client({
      auth: oauthAuth({
        memberId: "m1",
        clientId: "c",
        clientSecret: "s",
        store: new MemoryTokenStore(tokens()),
        fetch: transport,
      }),
      fetch: transport,
      limits: false,
      onRenewal: (e) => renewals.push(e),
    });
    const error = (await client.call("profile").catch((e: unknown) => e)) as B24Error;
    expect(error).toMatchObject({ code: "REDIRECT_REFUSED", mayHaveReachedPortal: false });
    expect(hosts(transport.requests)).not.toContain("attacker.example.test");
    expect(renewals).toMatchObject([{ ok: false, code: "expired_token" }]);
  });

  it("webhook: follows a renamed cloud portal within its zone, re-posts the body, reports the move", async () => {
    const transport = fakeTransport((r) =>
      r.url.startsWith("https://old.bitrix24.de/")
        ? redirect(r.url.replace("old.bitrix24.de", "new.bitrix24.de"))
        : ok(r.body.fields),
    );
    const moves: Array<{ from: string; to: string }> = [];
    const client = createB24Client({
      auth: webhookAuth("https://old.bitrix24.de/rest/1/code/"),
      fetch: transport,
      limits: false,
      onDomainMoved: (m) => moves.push(m),
    });
    await expect(client.call("crm.deal.add", { fields: { TITLE: "x" } })).resolves.toMatchObject({
      result: { TITLE: "x" },
    });
    await client.call("crm.deal.add", { fields: { TITLE: "y" } });
    expect(hosts(transport.requests)).toEqual(["old.bitrix24.de", "new.bitrix24.de", "new.bitrix24.de"]);
    expect(moves).toEqual([{ from: "https://old.bitrix24.de", to: "https://new.bitrix24.de" }]);
  });

  it("webhook: refuses a move to another domain; the code is sent nowhere else and not printed", async () => {
    const transport = fakeTransport((r) =>
      r.url.startsWith("https://acme.bitrix24.com/")
        ? redirect("https://collector.example.test/rest/1/code/profile")
        : ok(1),
    );
    const states: string[] = [];
    const client = createB24Client({
      auth: webhookAuth("https://acme.bitrix24.com/rest/1/code/"),
      fetch: transport,
      limits: false,
      onPortalState: (e) => states.push(e.state),
    });
    const error = (await client.call("profile").catch((e: unknown) => e)) as B24Error;
    expect(error).toMatchObject({ code: "PORTAL_MOVED", status: 302, kind: "portal", retryable: false });
    expect(error.message).toContain("https://collector.example.test");
    expect(error.message).not.toContain("/code/");
    expect(hosts(transport.requests)).toEqual(["acme.bitrix24.com"]);
    expect(states).toEqual(["moved"]);

    // The caller may vouch for it.
    const trusting = createB24Client({
      auth: webhookAuth("https://acme.bitrix24.com/rest/1/code/", {
        trustMove: (_from, to) => to === "https://collector.example.test",
      }),
      fetch: transport,
      limits: false,
    });
    await expect(trusting.call("profile")).resolves.toMatchObject({ result: 1 });
  });

  it("OAuth: a move is confirmed with the OAuth server before the token goes to the new address", async () => {
    const transport = fakeTransport((r) => {
      if (r.url === TOKEN_URL) return granted("https://crm.acme-corp.example/rest/");
      if (r.url.startsWith("https://acme.bitrix24.com/"))
        return redirect("https://crm.acme-corp.example/rest/profile");
      return ok({ via: r.body.auth });
    });
    const store = new MemoryTokenStore(tokens());
    const client = createB24Client({
      auth: oauthAuth({ memberId: "m1", clientId: "c", clientSecret: "s", store, fetch: transport }),
      fetch: transport,
      limits: false,
    });
    await expect(client.call("profile")).resolves.toMatchObject({ result: { via: "new-access-1" } });
    expect(hosts(transport.requests)).toEqual([
      "acme.bitrix24.com",
      "oauth.bitrix.info",
      "crm.acme-corp.example",
    ]);
    expect((await store.load())!.tokens).toMatchObject({
      clientEndpoint: "https://crm.acme-corp.example/rest/",
      domain: "crm.acme-corp.example",
    });
  });

  it("OAuth: a redirect the OAuth server does not confirm is refused; the token stays home", async () => {
    const transport = fakeTransport((r) => {
      if (r.url === TOKEN_URL) return granted("https://acme.bitrix24.com/rest/");
      if (r.url.startsWith("https://acme.bitrix24.com/"))
        return redirect("https://elsewhere.example.test/rest/profile");
      return ok(1);
    });
    const store = new MemoryTokenStore(tokens());
    const client = createB24Client({
      auth: oauthAuth({ memberId: "m1", clientId: "c", clientSecret: "s", store, fetch: transport }),
      fetch: transport,
      limits: false,
    });
    await expect(client.call("profile")).rejects.toMatchObject({ code: "PORTAL_MOVED" });
    expect(hosts(transport.requests)).not.toContain("elsewhere.example.test");
    expect((await store.load())!.tokens.clientEndpoint).toBe("https://acme.bitrix24.com/rest/");
  });

  it("OAuth: an OAuth server answer for another portal is not taken", async () => {
    const transport = fakeTransport((r) => {
      if (r.url === TOKEN_URL)
        return ok(undefined, { access_token: "x", refresh_token: "y", member_id: "other" });
      return fail(401, "expired_token");
    });
    const store = new MemoryTokenStore(tokens());
    const client = createB24Client({
      auth: oauthAuth({ memberId: "m1", clientId: "c", clientSecret: "s", store, fetch: transport }),
      fetch: transport,
      limits: false,
      retry: { maxAttempts: 1 },
    });
    await expect(client.call("profile")).rejects.toMatchObject({ code: "BAD_RESPONSE" });
    expect((await store.load())!.tokens.accessToken).toBe("old-access");
  });
});
