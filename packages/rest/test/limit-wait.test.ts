import { control, testEmulator, testPortal } from "@b24kit/emulator/testing";
import { type B24ClientOptions, B24Error, createB24Client, type RetryEvent, webhookAuth } from "@b24kit/rest";
import { FakeClock, settle } from "@b24kit/rest/testing";
import { afterAll, describe, expect, it } from "vitest";
import { collect } from "./helpers.js";

const emu = await testEmulator();
afterAll(() => emu.close());

/** A client on the fake clock calling an emulator portal, noting the fake time each request leaves. */
async function setup(
  options: Partial<B24ClientOptions> = {},
  limits?: { burst: number; drainPerSecond: number },
) {
  const portal = await testPortal(emu, limits ? { limits } : {});
  const clock = new FakeClock();
  const sentAt: number[] = [];
  const client = createB24Client({
    auth: webhookAuth(portal.adminWebhookUrl),
    fetch: (input, init) => {
      sentAt.push(clock.now());
      return fetch(input, init);
    },
    clock,
    // Request timeouts sleep on the fake clock too; far away, they never fire here.
    timeoutMs: 3_600_000,
    ...options,
  });
  return { portal, clock, sentAt, client };
}

/** The client's own bucket, exactly: 2 at once, then one a second. */
const BUCKET = { burst: 2, drainPerSecond: 1, jitterAllowanceMs: 0, marginRate: 0 };

/** Settles `call`, failing the test (instead of hanging) if it is still waiting after every ready callback ran. */
async function refusedAtOnce(clock: FakeClock, call: Promise<unknown>): Promise<B24Error> {
  let outcome: unknown;
  let settled = false;
  call.then(
    (v) => {
      outcome = v;
      settled = true;
    },
    (e: unknown) => {
      outcome = e;
      settled = true;
    },
  );
  const before = clock.now();
  await settle();
  expect(settled, "the call is still waiting").toBe(true);
  expect(clock.now()).toBe(before);
  expect(outcome).toBeInstanceOf(B24Error);
  return outcome as B24Error;
}

/**
 * Fires the client's backoff sleeps as they start, while its requests take real time to the emulator.
 * Sleeps further than `horizonMs` (the request timeout) are left alone.
 */
async function drive<T>(clock: FakeClock, call: Promise<T>, horizonMs = 60_000): Promise<T> {
  let settled = false;
  call.then(
    () => {
      settled = true;
    },
    () => {
      settled = true;
    },
  );
  while (!settled) {
    const next = clock.nextAt;
    if (next !== undefined && next - clock.now() <= horizonMs) await clock.advance(next - clock.now());
    else await new Promise((resolve) => setTimeout(resolve, 2));
  }
  return call;
}

describe("maxLimitWaitMs: a bounded wait for limits (fake clock, emulator portal)", () => {
  it("a call under the bound waits for its slot; past it, it fails at once and gives its slot back", async () => {
    const { clock, sentAt, client } = await setup({ limits: BUCKET, maxLimitWaitMs: 1500 });
    await Promise.all([client.call("profile"), client.call("profile")]);
    const third = client.call("profile");
    await clock.advance(999);
    expect(sentAt).toEqual([0, 0]);
    await clock.advance(1);
    await expect(third).resolves.toMatchObject({ result: { ID: "1" } });
    expect(sentAt).toEqual([0, 0, 1000]);

    const error = await refusedAtOnce(clock, client.call("profile", {}, { maxLimitWaitMs: 500 }));
    expect(error).toMatchObject({
      code: "LIMIT_WAIT_EXCEEDED",
      kind: "limit",
      retryable: true,
      mayHaveReachedPortal: false,
      retryAfterMs: 1000,
      method: "profile",
    });
    expect(error.message).toContain("postpone");
    expect(sentAt).toHaveLength(3);

    // The refused call's slot was given back: the next call goes one interval later, not two.
    const next = client.call("profile");
    await clock.advance(1000);
    await next;
    expect(sentAt).toEqual([0, 0, 1000, 2000]);
  });

  it("the per-call option overrides the client's, both ways", async () => {
    const { clock, sentAt, client } = await setup({ limits: BUCKET, maxLimitWaitMs: 0 });
    await Promise.all([client.call("profile"), client.call("profile")]);
    expect((await refusedAtOnce(clock, client.call("profile"))).retryAfterMs).toBe(1000);
    const lifted = client.call("profile", {}, { maxLimitWaitMs: Number.POSITIVE_INFINITY });
    await clock.advance(1000);
    await lifted;
    expect(sentAt).toEqual([0, 0, 1000]);

    const unbounded = await setup({ limits: BUCKET });
    await Promise.all([unbounded.client.call("profile"), unbounded.client.call("profile")]);
    const error = await refusedAtOnce(
      unbounded.clock,
      unbounded.client.call("profile", {}, { maxLimitWaitMs: 999 }),
    );
    expect(error).toMatchObject({ code: "LIMIT_WAIT_EXCEEDED", retryAfterMs: 1000 });
  });

  it("QUERY_LIMIT_EXCEEDED repeated past the bound ends with the error instead of more retries", async () => {
    // A portal whose bucket someone else has emptied: one request, then refusals for a quarter of an hour.
    const retries: RetryEvent[] = [];
    const { portal, clock, sentAt, client } = await setup(
      { limits: false, maxLimitWaitMs: 2000, onRetry: (e) => retries.push(e) },
      { burst: 1, drainPerSecond: 0.001 },
    );
    await client.call("profile");
    const error = (await drive(clock, client.call("profile")).catch((e: unknown) => e)) as B24Error;
    // Pauses of ~500 ms and ~1 s (±20 %) fit in 2 s; the third, ~2 s, would not.
    expect(retries.map((r) => [r.code, r.limit])).toEqual([
      ["QUERY_LIMIT_EXCEEDED", true],
      ["QUERY_LIMIT_EXCEEDED", true],
    ]);
    expect(error).toMatchObject({ code: "LIMIT_WAIT_EXCEEDED", kind: "limit" });
    expect((error.cause as B24Error).code).toBe("QUERY_LIMIT_EXCEEDED");
    expect(error.retryAfterMs).toBeGreaterThanOrEqual(1600);
    expect(error.retryAfterMs).toBeLessThanOrEqual(2400);
    const waited = retries[0]!.delayMs + retries[1]!.delayMs;
    expect(clock.now()).toBe(waited);
    expect(waited + error.retryAfterMs!).toBeGreaterThan(2000);
    expect(clock.pending).toBe(0);
    const s = await control(emu).stats(portal.memberId);
    expect(s.errors.QUERY_LIMIT_EXCEEDED).toBe(3);
    expect(sentAt).toHaveLength(4);
  });

  it("operating-time waits count: held back by the budget, or by the portal's OPERATION_TIME_LIMIT", async () => {
    const slow = async (operatingLimitSeconds: number) => {
      const env = await setup({ limits: false, operatingLimitSeconds, operatingReserveSeconds: 0 });
      await control(emu).updatePortal(env.portal.memberId, {
        operatingLimitSeconds: 0.3,
        latency: { "crm.deal.list": { baseMs: 120, perRowMs: 0 } },
      });
      for (let i = 0; i < 3; i++) await env.client.call("crm.deal.list");
      return env;
    };
    // The client knows the budget is spent: the call is not sent.
    const known = await slow(0.3);
    const heldMs = known.client.operating.waitFor("crm.deal.list");
    expect(heldMs).toBeGreaterThan(500_000);
    const held = await refusedAtOnce(
      known.clock,
      known.client.call("crm.deal.list", {}, { maxLimitWaitMs: 60_000 }),
    );
    expect(held).toMatchObject({ code: "LIMIT_WAIT_EXCEEDED", retryAfterMs: Math.ceil(heldMs) });
    expect(known.sentAt).toHaveLength(3);

    // The portal refuses first: retryAfterMs is the method's block until its reset, not the next backoff.
    const unknown = await slow(480);
    const refused = (await unknown.client
      .call("crm.deal.list", {}, { maxLimitWaitMs: 0 })
      .catch((e: unknown) => e)) as B24Error;
    expect(refused).toMatchObject({ code: "LIMIT_WAIT_EXCEEDED" });
    expect((refused.cause as B24Error).code).toBe("OPERATION_TIME_LIMIT");
    expect(refused.retryAfterMs).toBeGreaterThan(500_000);
    expect(unknown.clock.now()).toBe(0);
    expect(unknown.sentAt).toHaveLength(4);
  });

  it("batch, list and fastList carry the bound to each of their requests", async () => {
    const { clock, sentAt, client } = await setup({ limits: { ...BUCKET, burst: 1 } });
    await client.call("profile");
    const bounded = { maxLimitWaitMs: 0 };

    const batch = await client.batch([["crm.deal.list"], ["user.current"]], bounded);
    expect(batch.ok).toBe(false);
    for (const name of ["0", "1"])
      expect(batch.errors[name]).toMatchObject({
        code: "LIMIT_WAIT_EXCEEDED",
        kind: "limit",
        mayHaveReachedPortal: false,
        retryAfterMs: 1000,
      });
    await expect(collect(client.list("crm.deal.list", {}, bounded))).rejects.toMatchObject({
      code: "LIMIT_WAIT_EXCEEDED",
      retryAfterMs: 1000,
    });
    await expect(collect(client.fastList("crm.deal.list", {}, bounded))).rejects.toMatchObject({
      code: "LIMIT_WAIT_EXCEEDED",
      retryAfterMs: 1000,
    });
    expect(clock.now()).toBe(0);
    expect(sentAt).toEqual([0]);

    // Three refused requests left no debt: the next call waits one interval.
    const next = client.call("profile");
    await clock.advance(1000);
    await next;
    expect(sentAt).toEqual([0, 1000]);
  });
});
