import { type B24Error, createB24Client, MemoryTokenStore, oauthAuth, webhookAuth } from "@b24kit/rest";
import { FakeClock, fakeTransport, networkError, ok } from "@b24kit/rest/testing";
import { describe, expect, it } from "vitest";

const HOOK = "https://acme.bitrix24.com/rest/1/secretcode/";

describe("transport step (fake transport, fake clock)", () => {
  it("POSTs the call as JSON to base + method, with the access token as `auth` for OAuth", async () => {
    const transport = fakeTransport(() => ok(true));
    const store = new MemoryTokenStore({
      accessToken: "tok",
      refreshToken: "ref",
      expiresAt: Date.now() + 3_600_000,
      clientEndpoint: "https://acme.bitrix24.com/rest/",
      serverEndpoint: "https://oauth.bitrix.info/rest/",
      memberId: "m1",
    });
    const client = createB24Client({
      auth: oauthAuth({ memberId: "m1", clientId: "c", clientSecret: "s", store }),
      fetch: transport,
      limits: false,
    });
    await client.call("crm.deal.update", { id: 5, fields: { TITLE: "a&b" } });
    const [request] = transport.requests;
    expect(request!.url).toBe("https://acme.bitrix24.com/rest/crm.deal.update");
    expect(request!.headers["content-type"]).toBe("application/json");
    expect(request!.body).toEqual({ id: 5, fields: { TITLE: "a&b" }, auth: "tok" });
  });

  it("times out on the client's clock, the body included, and says so", async () => {
    const clock = new FakeClock();
    const transport = fakeTransport(async (request) => {
      await clock.sleep(60_000, request.signal);
      return ok(1);
    });
    const client = createB24Client({
      auth: webhookAuth(HOOK),
      fetch: transport,
      limits: false,
      clock,
      timeoutMs: 5000,
    });
    const pending = client.call("crm.deal.add", { fields: {} }).catch((e: unknown) => e);
    await clock.advance(4999);
    expect(transport.requests).toHaveLength(1);
    await clock.advance(1);
    const error = (await pending) as B24Error;
    expect(error).toMatchObject({ code: "TIMEOUT", kind: "transport", mayHaveReachedPortal: true });
    // A creating write that may have run is not sent again.
    expect(transport.requests).toHaveLength(1);
  });

  it("caps the size of an answer: declared or streamed, reading stops at the limit", async () => {
    const big = JSON.stringify({ result: "x".repeat(5000) });
    const declared = fakeTransport(
      () => new Response(big, { status: 200, headers: { "content-length": String(big.length) } }),
    );
    const client = createB24Client({
      auth: webhookAuth(HOOK),
      fetch: declared,
      limits: false,
      maxAnswerBytes: 1000,
    });
    await expect(client.call("crm.deal.get", { id: 1 })).rejects.toMatchObject({ code: "ANSWER_TOO_LARGE" });

    let pulled = 0;
    const chunk = new TextEncoder().encode("x".repeat(400));
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1;
        controller.enqueue(chunk);
      },
    });
    const streamed = fakeTransport(() => new Response(endless, { status: 200 }));
    const streaming = createB24Client({
      auth: webhookAuth(HOOK),
      fetch: streamed,
      limits: false,
      maxAnswerBytes: 1000,
      retry: { maxAttempts: 1 },
    });
    await expect(streaming.call("crm.deal.get", { id: 1 })).rejects.toMatchObject({
      code: "ANSWER_TOO_LARGE",
    });
    expect(pulled).toBeLessThan(10);
  });

  it("tells a request that never left from one that may have run", async () => {
    const refused = fakeTransport(() => {
      throw networkError("ECONNREFUSED");
    });
    const reset = fakeTransport(() => {
      throw networkError("ECONNRESET");
    });
    const options = { limits: false as const, retry: { maxAttempts: 1 } };
    const a = (await createB24Client({ auth: webhookAuth(HOOK), fetch: refused, ...options })
      .call("crm.deal.add")
      .catch((e: unknown) => e)) as B24Error;
    const b = (await createB24Client({ auth: webhookAuth(HOOK), fetch: reset, ...options })
      .call("crm.deal.add")
      .catch((e: unknown) => e)) as B24Error;
    expect(a).toMatchObject({ code: "NETWORK_ERROR", mayHaveReachedPortal: false });
    expect(b).toMatchObject({ code: "NETWORK_ERROR", mayHaveReachedPortal: true });
    expect(a.message).not.toContain("secretcode");
  });

  it("turns an error envelope into a B24Error with the portal's code and status", async () => {
    const transport = fakeTransport(() => ({
      status: 400,
      body: { error: "", error_description: "Not found" },
    }));
    const client = createB24Client({ auth: webhookAuth(HOOK), fetch: transport, limits: false });
    await expect(client.call("crm.deal.get", { id: 9 })).rejects.toMatchObject({
      code: "",
      status: 400,
      description: "Not found",
      kind: "invalid",
    });
  });
});
