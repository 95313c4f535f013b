import {
  type AuditEvent,
  createB24Client,
  MemoryTokenStore,
  oauthAuth,
  type PortalStateEvent,
  redact,
  webhookAuth,
} from "@b24kit/rest";
import { fail, fakeTransport, ok, settle } from "@b24kit/rest/testing";
import { describe, expect, it } from "vitest";

const HOOK = "https://acme.bitrix24.com/rest/1/code/";

describe("concurrency gate", () => {
  it("a batch of 10,000 commands with limits off keeps at most maxConcurrentRequests in flight", async () => {
    let inFlight = 0;
    let most = 0;
    const transport = fakeTransport(async (r) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await settle(2);
      inFlight -= 1;
      const cmd = r.body.cmd as Record<string, string>;
      return ok({ result: Object.fromEntries(Object.keys(cmd).map((k) => [k, true])) });
    });
    const client = createB24Client({ auth: webhookAuth(HOOK), fetch: transport, limits: false });
    const commands = Array.from(
      { length: 10_000 },
      (_, i) => ["crm.deal.update", { id: i, fields: {} }] as const,
    );
    const result = await client.batch(commands);
    expect(Object.keys(result.results)).toHaveLength(10_000);
    expect(transport.requests).toHaveLength(200);
    expect(most).toBe(8);
  });
});

describe("observe step: audit and portal states", () => {
  function oauthClient(tokenAnswer: () => ReturnType<typeof fail>, events: PortalStateEvent[]) {
    const transport = fakeTransport((r) =>
      r.url.endsWith("/oauth/token/") ? tokenAnswer() : fail(401, "expired_token"),
    );
    return createB24Client({
      auth: oauthAuth({
        memberId: "m1",
        clientId: "c",
        clientSecret: "s",
        fetch: transport,
        store: new MemoryTokenStore({
          accessToken: "a",
          refreshToken: "r",
          expiresAt: Date.now() + 3_600_000,
          clientEndpoint: "https://acme.bitrix24.com/rest/",
          serverEndpoint: "https://oauth.bitrix.info/rest/",
          memberId: "m1",
        }),
      }),
      fetch: transport,
      limits: false,
      onPortalState: (e) => events.push(e),
    });
  }

  it("reports the portal-level conditions with the tenant key: from the portal and from the OAuth server", async () => {
    const events: PortalStateEvent[] = [];
    const answers: Record<string, () => ReturnType<typeof fail>> = {
      profile: () => fail(500, "PORTAL_DELETED", "Portal was deleted"),
      "crm.deal.list": () => fail(403, "ACCESS_DENIED", "REST API is available only on commercial plans"),
      "telephony.externalcall.register": () => fail(404, "ERROR_METHOD_NOT_FOUND", "Method not found!"),
      "user.get": () => fail(403, "ACCESS_DENIED", "Access denied!"),
    };
    const transport = fakeTransport((r) => answers[r.method]!());
    const client = createB24Client({
      auth: webhookAuth(HOOK),
      fetch: transport,
      limits: false,
      onPortalState: (e) => events.push(e),
    });
    for (const method of Object.keys(answers)) await client.call(method).catch(() => {});
    await oauthClient(() => fail(400, "PAYMENT_REQUIRED", "Payment required"), events)
      .call("profile")
      .catch(() => {});
    await oauthClient(() => fail(401, "invalid_client", "app not installed"), events)
      .call("profile")
      .catch(() => {});
    await oauthClient(() => fail(400, "invalid_grant", "expired"), events)
      .call("profile")
      .catch(() => {});
    expect(events.map((e) => [e.portal, e.state, e.method, e.code])).toEqual([
      ["acme.bitrix24.com", "deleted", "profile", "PORTAL_DELETED"],
      ["acme.bitrix24.com", "no_rest", "crm.deal.list", "ACCESS_DENIED"],
      ["acme.bitrix24.com", "method_missing", "telephony.externalcall.register", "ERROR_METHOD_NOT_FOUND"],
      ["m1", "payment_required", "profile", "PAYMENT_REQUIRED"],
      ["m1", "app_not_installed", "profile", "invalid_client"],
      ["m1", "tokens_revoked", "profile", "invalid_grant"],
    ]);
  });

  it("a batch command's missing method is reported too", async () => {
    const events: PortalStateEvent[] = [];
    const transport = fakeTransport(() =>
      ok({
        result: { a: [] },
        result_error: { b: { error: "ERROR_METHOD_NOT_FOUND", error_description: "Method not found!" } },
      }),
    );
    const client = createB24Client({
      auth: webhookAuth(HOOK),
      fetch: transport,
      limits: false,
      onPortalState: (e) => events.push(e),
    });
    await client.batch({ a: ["crm.deal.list"], b: ["voximplant.sip.get"] });
    expect(events.map((e) => [e.state, e.method])).toEqual([["method_missing", "voximplant.sip.get"]]);
  });

  it("audits every call once, with secrets, API keys and OAuth codes redacted", async () => {
    const audits: AuditEvent[] = [];
    const transport = fakeTransport(() => ok(true));
    const client = createB24Client({
      auth: webhookAuth(HOOK),
      fetch: transport,
      limits: false,
      onAudit: (e) => audits.push(e),
    });
    await client.call("app.option.set", {
      options: { secret: "S1", apiKey: "S2", api_key: "S3", webhook_secret: "S4", note: HOOK },
      code: "S5",
      CODE: "my_bot",
    });
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ method: "app.option.set", ok: true, status: 200, attempts: 1 });
    const text = JSON.stringify(audits);
    expect(text).not.toMatch(/S[1-5]/);
    expect(text).not.toContain("/code/");
    expect(text).toContain("my_bot");
    expect(JSON.stringify(redact({ cmd: { a: "oauth.thing?code=S6&client_secret=S7&id=1" } }))).toBe(
      '{"cmd":{"a":"oauth.thing?code=[redacted]&client_secret=[redacted]&id=1"}}',
    );
  });
});
