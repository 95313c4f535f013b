import { createB24Client, type RateLimitEvent, webhookAuth } from "@b24kit/rest";
import { FakeClock, fail, fakeTransport, ok } from "@b24kit/rest/testing";
import { describe, expect, it } from "vitest";

const HOOK = "https://acme.bitrix24.com/rest/1/code/";

/** A portal that answers at once and notes the fake time of every request. */
function timedPortal(clock: FakeClock, answer = () => ok(true)) {
  const sentAt: number[] = [];
  const transport = fakeTransport(() => {
    sentAt.push(clock.now());
    return answer();
  });
  return { transport, sentAt };
}

describe("throttle step: bucket, operating budget, limit refusals (fake clock)", () => {
  /** When each of `calls` profile calls reaches the portal, with this bucket and allowance. */
  async function sendTimes(calls: number, jitterAllowanceMs: number): Promise<number[]> {
    const clock = new FakeClock();
    const { transport, sentAt } = timedPortal(clock);
    const client = createB24Client({
      auth: webhookAuth(HOOK),
      fetch: transport,
      clock,
      limits: { burst: 5, drainPerSecond: 1, jitterAllowanceMs, marginRate: 0 },
    });
    const pending = Array.from({ length: calls }, () => client.call("profile"));
    await clock.runAll();
    await Promise.all(pending);
    return sentAt;
  }

  it("sends `burst` requests at once, then one per interval, in order", async () => {
    expect(await sendTimes(7, 0)).toEqual([0, 0, 0, 0, 0, 1000, 2000]);
  });

  it("keeps the jitter allowance of the burst in hand: 2 s at 1/s is 2 requests fewer at once", async () => {
    expect(await sendTimes(5, 2000)).toEqual([0, 0, 0, 1000, 2000]);
  });

  it("gives back the slots of calls aborted before sending: an idle portal is not in debt", async () => {
    const clock = new FakeClock();
    const { transport, sentAt } = timedPortal(clock);
    const client = createB24Client({
      auth: webhookAuth(HOOK),
      fetch: transport,
      clock,
      maxConcurrentRequests: 1000,
    });
    const controller = new AbortController();
    const calls = Array.from({ length: 300 }, () =>
      client.call("profile", {}, { signal: controller.signal }).catch(() => "aborted"),
    );
    await clock.advance(300);
    controller.abort();
    expect((await Promise.all(calls)).filter((r) => r === "aborted")).toHaveLength(300 - sentAt.length);
    expect(sentAt.length).toBeLessThan(50);
    // The sent requests drain at 2/s; half a minute later the portal is idle and a call goes at once.
    await clock.advance(30_000);
    const before = clock.now();
    const next = client.call("profile");
    await clock.advance(0);
    expect(sentAt.at(-1)).toBe(before);
    await next;
  });

  it("on QUERY_LIMIT_EXCEEDED fills the bucket, reports it, and the call waits instead of failing", async () => {
    const clock = new FakeClock();
    let refusals = 1;
    const { transport, sentAt } = timedPortal(clock, () =>
      refusals-- > 0 ? fail(503, "QUERY_LIMIT_EXCEEDED", "Too many requests") : ok(true),
    );
    const limits: RateLimitEvent[] = [];
    const client = createB24Client({
      auth: webhookAuth(HOOK),
      fetch: transport,
      clock,
      limits: { jitterAllowanceMs: 0, marginRate: 0 },
      onRateLimit: (e) => limits.push(e),
    });
    const call = client.call("crm.deal.add", { fields: {} });
    await clock.runAll();
    await expect(call).resolves.toMatchObject({ result: true });
    expect(limits).toEqual([
      { portal: "acme.bitrix24.com", method: "crm.deal.add", reason: "QUERY_LIMIT_EXCEEDED", waitMs: 0 },
    ]);
    // The bucket is full after the refusal: the next slot is at least one interval (500 ms) away.
    expect(sentAt[1]! - sentAt[0]!).toBeGreaterThanOrEqual(500);
  });

  it("holds a method back once the portal's answers show its operating time spent; others go", async () => {
    const clock = new FakeClock();
    const limits: RateLimitEvent[] = [];
    const { transport, sentAt } = timedPortal(clock, () =>
      ok([], { time: { start: 1000, finish: 1000.5, operating: 478, operating_reset_at: 1120 } }),
    );
    const client = createB24Client({
      auth: webhookAuth(HOOK),
      fetch: transport,
      clock,
      limits: false,
      onRateLimit: (e) => limits.push(e),
    });
    await client.call("crm.deal.list");
    const held = client.call("crm.deal.list");
    const other = client.call("crm.deal.get", { id: 1 });
    await clock.advance(0);
    await other;
    expect(sentAt).toEqual([0, 0]);
    // Reset 119.5 s after the portal's finish, plus a second of margin.
    await clock.advance(120_499);
    expect(sentAt).toHaveLength(2);
    await clock.advance(1);
    await held;
    expect(sentAt).toEqual([0, 0, 120_500]);
    expect(limits).toEqual([
      { portal: "acme.bitrix24.com", method: "crm.deal.list", reason: "OPERATING_BUDGET", waitMs: 120_500 },
    ]);
  });

  it("a batch refused as a whole with OPERATION_TIME_LIMIT waits for it (no zero-delay loop)", async () => {
    const clock = new FakeClock();
    const { transport, sentAt } = timedPortal(clock, () =>
      fail(429, "OPERATION_TIME_LIMIT", "Method is blocked due to operation time limit"),
    );
    const client = createB24Client({
      auth: webhookAuth(HOOK),
      fetch: transport,
      clock,
      limits: false,
      retry: { limitWaitMs: 5 * 60_000 },
    });
    const call = client.batch([["crm.deal.list"], ["crm.contact.list"]]);
    await clock.advance(2000);
    expect(sentAt).toEqual([0]);
    await clock.runAll();
    const result = await call;
    expect(result.errors["0"]).toMatchObject({ code: "OPERATION_TIME_LIMIT" });
    // At most one request a minute for the five minutes the call may wait.
    expect(sentAt.length).toBeLessThanOrEqual(6);
    for (let i = 1; i < sentAt.length; i++)
      expect(sentAt[i]! - sentAt[i - 1]!).toBeGreaterThanOrEqual(60_000);
  });
});
