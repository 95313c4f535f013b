import { control, installApp, testEmulator, testPortal } from "@b24kit/emulator/testing";
import { createB24Client, frameAuth, refreshTokens, tokensFromAuth, webhookAuth } from "@b24kit/rest";
import { afterAll, describe, expect, it } from "vitest";

const emu = await testEmulator();
afterAll(() => emu.close());

describe("limits and the other auth strategies", () => {
  it("makes a burst wait for its slots instead of failing (in-process bucket)", async () => {
    const portal = await control(emu).createPortal({ plan: "standard" });
    await control(emu).updatePortal(portal.memberId, {
      bucket: { burst: 10, drainPerSecond: 10 },
    });
    const client = createB24Client({
      auth: webhookAuth(portal.adminWebhookUrl),
      limits: { burst: 10, drainPerSecond: 10 },
    });
    const started = Date.now();
    await Promise.all(Array.from({ length: 40 }, () => client.call("profile")));
    const elapsed = Date.now() - started;
    const s = await control(emu).stats(portal.memberId);
    expect(s.errors).toEqual({});
    expect(s.total).toBe(40);
    // The real clock is wired: with the default jitter allowance (1 s = all but one of this tiny burst
    // kept in hand) the 40 calls go one per ~101 ms. Timing itself is tested on the fake clock.
    expect(elapsed).toBeGreaterThanOrEqual(2900);
  });

  it("learns Enterprise limits from app.info", async () => {
    const portal = await testPortal(emu, { plan: "enterprise" });
    const { auth } = await installApp(emu, portal.memberId);
    const client = createB24Client({
      auth: frameAuth({ clientEndpoint: auth.client_endpoint, accessToken: auth.access_token }),
    });
    expect(await client.learnPlan()).toEqual({ burst: 250, drainPerSecond: 5 });
    expect(client.limiter!.burst).toBe(250);
  });

  it("holds a method back once its operating time is spent, so the portal never answers 429", async () => {
    const portal = await testPortal(emu);
    await control(emu).updatePortal(portal.memberId, {
      operatingLimitSeconds: 0.3,
      latency: { "crm.deal.list": { baseMs: 120, perRowMs: 0 } },
    });
    const client = createB24Client({
      auth: webhookAuth(portal.adminWebhookUrl),
      limits: false,
      operatingLimitSeconds: 0.3,
      operatingReserveSeconds: 0,
    });
    for (let i = 0; i < 3; i++) await client.call("crm.deal.list");
    const waitMs = client.operating.waitFor("crm.deal.list");
    expect(waitMs).toBeGreaterThan(500_000);
    expect(client.operating.waitFor("crm.deal.get")).toBe(0);
    const held = await client
      .call("crm.deal.list", {}, { signal: AbortSignal.timeout(300) })
      .catch((e: unknown) => e);
    expect((held as Error).name).toMatch(/TimeoutError|AbortError/);
    const s = await control(emu).stats(portal.memberId);
    expect(s.byMethod["crm.deal.list"]).toBe(3);
    expect(s.errors.OPERATION_TIME_LIMIT).toBeUndefined();
  });

  it("frame auth renews through the frame's refresh callback", async () => {
    const portal = await testPortal(emu);
    const app = await installApp(emu, portal.memberId);
    let refreshes = 0;
    const tokens = tokensFromAuth(app.auth);
    const client = createB24Client({
      auth: frameAuth({
        clientEndpoint: app.auth.client_endpoint,
        accessToken: app.auth.access_token,
        // In a browser this is B24Frame's refreshAuth; here the OAuth server does the same job.
        refresh: async () => {
          refreshes += 1;
          const next = await refreshTokens((u, i) => fetch(u, i), tokens, app, 5000);
          return { accessToken: next.accessToken };
        },
      }),
      limits: false,
    });
    await control(emu).advanceClock(3700);
    await Promise.all([client.call("profile"), client.call("profile"), client.call("profile")]);
    expect(refreshes).toBe(1);
  });
});
