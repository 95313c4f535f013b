import { control, handlerServer, testEmulator, testPortal } from "@b24kit/emulator/testing";
import { createB24Client, webhookAuth } from "@b24kit/rest";
import { RedisBucketStore } from "@b24kit/rest/redis";
import { Redis } from "ioredis";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";

// The README's TypeScript examples (test/readme-examples/), each run as a user would run it, against
// the emulator over HTTPS. They read their settings from the environment, as scripts do.
const emu = await testEmulator();
afterAll(() => emu.close());
const EXAMPLE_ENV = ["B24_WEBHOOK_URL", "B24_CLIENT_ID", "B24_CLIENT_SECRET", "REDIS_URL"];
const before = Object.fromEntries(EXAMPLE_ENV.map((k) => [k, process.env[k]]));
afterEach(() => {
  for (const [k, v] of Object.entries(before)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  vi.restoreAllMocks();
});

describe("README examples", () => {
  it("readme-examples/quick-tour.ts: adds, reads, lists and renames a deal through a webhook", async () => {
    const portal = await testPortal(emu);
    await control(emu).seed(portal.memberId, { deals: 30 });
    const client = createB24Client({ auth: webhookAuth(portal.adminWebhookUrl) });
    const newBefore = (await client.call("crm.deal.list", { filter: { STAGE_ID: "NEW" } })).total ?? 0;
    const printed: unknown[][] = [];
    vi.spyOn(console, "log").mockImplementation((...args) => void printed.push(args));
    process.env.B24_WEBHOOK_URL = portal.adminWebhookUrl;
    await import("./readme-examples/quick-tour.js");
    const renamed = await client.call<Array<{ ID: string }>>("crm.deal.list", {
      filter: { TITLE: "Renamed" },
    });
    expect(renamed.result).toHaveLength(1);
    expect(printed[0]).toEqual([`Deal ${renamed.result[0]!.ID}: New deal`]);
    // fastList printed every deal in stage NEW: the seeded ones and the new one.
    expect(printed.slice(1)).toHaveLength(newBefore + 1);
    expect(printed.at(-1)).toEqual([renamed.result[0]!.ID, "New deal"]);
  });

  it("readme-examples/install-handler.ts: ONAPPINSTALL's form → a token store → learnPlan and renewed calls", async () => {
    const portal = await testPortal(emu, { plan: "enterprise" });
    const handler = await handlerServer();
    try {
      const app = await control(emu).registerApp({ scopes: ["crm", "user"], installHandlerUrl: handler.url });
      await control(emu).install(portal.memberId, app.clientId);
      const [install] = await handler.waitFor((r) => r.body.event === "ONAPPINSTALL");
      process.env.B24_CLIENT_ID = app.clientId;
      process.env.B24_CLIENT_SECRET = app.clientSecret;
      const { onInstall } = await import("./readme-examples/install-handler.js");
      const { b24, store, limits } = await onInstall(install!.raw);
      expect(limits).toEqual({ burst: 250, drainPerSecond: 5 }); // the Enterprise plan's, from app.info
      expect(b24.limiter!.burst).toBe(250);
      expect((await b24.call<{ ID: string }>("profile")).result.ID).toBe("1");
      // An hour later on the portal's clock the token has expired: the client renews it with the
      // app's id and secret, at the OAuth server the payload named, and keeps the new pair in the store.
      const first = (await store.load())!.tokens;
      await control(emu).advanceClock(3700);
      expect((await b24.call<{ ID: string }>("profile")).result.ID).toBe("1");
      const renewed = (await store.load())!.tokens;
      expect(renewed.accessToken).not.toBe(first.accessToken);
      expect(renewed.refreshToken).not.toBe(first.refreshToken);
    } finally {
      await handler.close();
    }
  });

  it("readme-examples/redis-limits.ts: waits for the slots another process booked, so the portal refuses nothing", async () => {
    // The portal's real bucket (50, draining 2/s), nearly filled by "another process" sharing the Redis bucket.
    const portal = await testPortal(emu, { limits: "plan" });
    await control(emu).seed(portal.memberId, { deals: 10 });
    const redis = new Redis(process.env.B24KIT_REDIS_URL ?? "redis://127.0.0.1:6379");
    try {
      const other = createB24Client({
        auth: webhookAuth(portal.adminWebhookUrl),
        limits: { store: new RedisBucketStore(redis) },
      });
      await Promise.all(Array.from({ length: 45 }, () => other.call("profile")));
      process.env.B24_WEBHOOK_URL = portal.adminWebhookUrl;
      if (process.env.B24KIT_REDIS_URL) process.env.REDIS_URL = process.env.B24KIT_REDIS_URL;
      const started = Date.now();
      await import("./readme-examples/redis-limits.js");
      const elapsed = Date.now() - started;
      const stats = await control(emu).stats(portal.memberId);
      // Alone, its 10 calls would have gone at once into a bucket holding 45 and been refused.
      expect(stats.errors).toEqual({});
      expect(stats.total).toBe(55);
      // 48 of the 50 go at once (the jitter allowance keeps 2 in hand), the other 7 at 2/s: about 3.5 s.
      expect(elapsed).toBeGreaterThan(2_000);
    } finally {
      redis.disconnect();
    }
  });
});
