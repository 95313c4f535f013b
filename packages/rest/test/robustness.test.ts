import { control, installApp, testEmulator, testPortal } from "@b24kit/emulator/testing";
import {
  type AuthStrategy,
  type B24Error,
  createB24Client,
  isRepeatable,
  MemoryTokenStore,
  redact,
  tokensFromAuth,
  webhookAuth,
} from "@b24kit/rest";
import { fakeTransport, ok, redirect } from "@b24kit/rest/testing";
import { afterAll, describe, expect, it } from "vitest";
import { appAuth, collect } from "./helpers.js";

const emu = await testEmulator();
afterAll(() => emu.close());

describe("nothing lost, nothing repeated, under awkward timing", () => {
  it("keeps a refreshed pair even when another writer saved the store during the refresh", async () => {
    const portal = await testPortal(emu);
    const app = await installApp(emu, portal.memberId);
    const store = new MemoryTokenStore(tokensFromAuth(app.auth));
    let interfered = false;
    const fetchWithWriter = async (input: string, init: RequestInit) => {
      if (input.endsWith("/oauth/token/") && !interfered) {
        interfered = true;
        const current = (await store.load())!;
        await store.save({ ...current.tokens, domain: "written-meanwhile" }, current.version);
      }
      return fetch(input, init);
    };
    const client = createB24Client({
      auth: appAuth(app, store, { fetch: fetchWithWriter }),
      fetch: fetchWithWriter,
      limits: false,
    });
    await control(emu).advanceClock(3700);
    await expect(client.call("profile")).resolves.toMatchObject({ result: { ID: "1" } });
    const saved = (await store.load())!;
    expect(saved.tokens.refreshToken).not.toBe(app.auth.refresh_token);
    // The pair in the store still works: a second expiry refreshes again without invalid_grant.
    await control(emu).advanceClock(3700);
    await expect(client.call("profile")).resolves.toMatchObject({ result: { ID: "1" } });
  });

  it("reports every command of a multi-chunk batch when one chunk's request fails", async () => {
    const portal = await testPortal(emu);
    await control(emu).fault(portal.memberId, {
      method: "crm.deal.add",
      count: 1,
      drop: true,
    });
    const client = createB24Client({ auth: webhookAuth(portal.adminWebhookUrl), limits: false });
    const commands = Array.from(
      { length: 120 },
      (_, i) => ["crm.deal.add", { fields: { TITLE: `b${i}` } }] as const,
    );
    const r = await client.batch(commands);
    const failed = Object.values(r.errors);
    expect(Object.keys(r.results).length + failed.length).toBe(120);
    expect([20, 50]).toContain(failed.length);
    expect(failed.every((e) => e.code === "NETWORK_ERROR" && e.mayHaveReachedPortal)).toBe(true);
    const deals = (await control(emu).stats(portal.memberId)).byMethod["crm.deal.add"];
    expect(deals).toBe(Object.keys(r.results).length + 1);
  });

  it("does not send a call whose signal fired while credentials were being fetched", async () => {
    const inner = webhookAuth("https://acme.bitrix24.com/rest/1/code/");
    let handOver!: () => void;
    const credentialsReady = new Promise<void>((resolve) => {
      handOver = resolve;
    });
    const slow: AuthStrategy = {
      portalKey: inner.portalKey,
      current: async () => {
        await credentialsReady;
        return inner.current();
      },
      renew: inner.renew,
    };
    const transport = fakeTransport(() => ok(1));
    const client = createB24Client({ auth: slow, fetch: transport, limits: false });
    const controller = new AbortController();
    const call = client
      .call("crm.deal.add", { fields: { TITLE: "never" } }, { signal: controller.signal })
      .catch((e: unknown) => e);
    controller.abort(new Error("caller gave up"));
    handOver();
    // The call settles only once the pipeline has decided; by then nothing may have been sent.
    expect(((await call) as Error).message).toBe("caller gave up");
    expect(transport.requests).toEqual([]);
  });

  it("does not count limit refusals as attempts", async () => {
    const portal = await testPortal(emu);
    await control(emu).fault(portal.memberId, {
      method: "profile",
      count: 4,
      status: 503,
      error: "QUERY_LIMIT_EXCEEDED",
    });
    const client = createB24Client({
      auth: webhookAuth(portal.adminWebhookUrl),
      limits: false,
      retry: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 40 },
    });
    await expect(client.call("profile")).resolves.toMatchObject({ result: { ID: "1" } });
  });

  it("fastList waits for an exhausted operating budget instead of failing", async () => {
    const portal = await testPortal(emu);
    await control(emu).seed(portal.memberId, { deals: 3000 });
    await control(emu).updatePortal(portal.memberId, {
      operatingLimitSeconds: 0.05,
      latency: { "crm.deal.list": { baseMs: 2, perRowMs: 0 } },
    });
    const client = createB24Client({ auth: webhookAuth(portal.adminWebhookUrl), limits: false });
    const rows: unknown[] = [];
    const error = await (async () => {
      for await (const row of client.fastList("crm.deal.list", {}, { signal: AbortSignal.timeout(1500) }))
        rows.push(row);
    })().catch((e: unknown) => e);
    expect((error as Error).name).toBe("TimeoutError");
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length % 50).toBe(0);
    expect((await control(emu).stats(portal.memberId)).errors.OPERATION_TIME_LIMIT).toBe(1);
  });

  it("fastList with a filter still returns an original row when another row starts matching mid-read", async () => {
    const portal = await testPortal(emu);
    await control(emu).seed(portal.memberId, { deals: 2601 });
    const hook = portal.adminWebhookUrl as string;
    const setTitle = (id: number, TITLE: string) =>
      fetch(`${hook}crm.deal.update`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ id, fields: { TITLE } }),
      });
    await setTitle(2590, "skip");
    let batches = 0;
    const client = createB24Client({
      auth: webhookAuth(hook),
      limits: false,
      fetch: async (input, init) => {
        const res = await fetch(input, init);
        if (input.endsWith("/batch") && ++batches === 1) await setTitle(2590, "matches now");
        return res;
      },
    });
    const rows = await collect(
      client.fastList<{ ID: string }>("crm.deal.list", { filter: { "!TITLE": "skip" }, select: ["ID"] }),
    );
    const ids = rows.map((r) => Number(r.ID));
    expect(ids).toContain(2601);
    expect(ids).toContain(2590);
    expect(ids).toHaveLength(2601);
  });

  it("treats event.offline.get as a read that must not be repeated", () => {
    expect(isRepeatable("event.offline.get")).toBe(false);
    expect(isRepeatable("event.offline.list")).toBe(true);
  });

  it("redacts secrets inside batch command strings and bracketed keys", () => {
    const out = JSON.stringify(
      redact({
        cmd: {
          a: "crm.deal.get?id=1&auth=SECRET1",
          b: "imbot.message.add?BOT_ID=1&CLIENT_ID=SECRET2&MESSAGE=hi",
        },
        "auth[access_token]": "SECRET3",
        botToken: "SECRET4",
      }),
    );
    expect(out).not.toMatch(/SECRET\d/);
    expect(out).toContain("MESSAGE=hi");
  });

  it("refuses to follow a move from https to plain http: nothing reaches the http address", async () => {
    const transport = fakeTransport((request) =>
      new URL(request.url).protocol === "https:"
        ? redirect("http://evil.example.test/rest/1/abc/profile")
        : ok({ ID: "1" }),
    );
    const client = createB24Client({
      auth: webhookAuth("https://portal.example.test/rest/1/abc/"),
      fetch: transport,
      limits: false,
    });
    const error = (await client.call("profile").catch((e: unknown) => e)) as B24Error;
    expect(error).toMatchObject({ code: "REDIRECT_REFUSED", status: 302, mayHaveReachedPortal: false });
    expect(transport.requests.map((r) => r.url)).toEqual(["https://portal.example.test/rest/1/abc/profile"]);
    expect(error.message).not.toContain("/abc/");
    // Even a caller who trusts every move cannot send credentials to plain http.
    const trusting = createB24Client({
      auth: webhookAuth("https://portal.example.test/rest/1/abc/", { trustMove: () => true }),
      fetch: transport,
      limits: false,
    });
    await expect(trusting.call("profile")).rejects.toMatchObject({ code: "REDIRECT_REFUSED" });
    expect(transport.requests.every((r) => r.url.startsWith("https:"))).toBe(true);
  });
});
