import {
  B24Error,
  createB24Client,
  DEFAULT_RETRY,
  decideRetry,
  type RetryEvent,
  type RetryState,
  webhookAuth,
} from "@b24kit/rest";
import { FakeClock, fail, fakeTransport, networkError, ok } from "@b24kit/rest/testing";
import { describe, expect, it } from "vitest";

const HOOK = "https://acme.bitrix24.com/rest/1/code/";

function state(attempts: number, firstRefusalAt?: number): RetryState {
  return { attempts, limitRefusals: firstRefusalAt === undefined ? 0 : 1, firstRefusalAt };
}
const err = (code: string, status: number, mayHaveReachedPortal?: boolean) =>
  new B24Error({ code, status, ...(mayHaveReachedPortal !== undefined ? { mayHaveReachedPortal } : {}) });

describe("retry decision: the one place that decides", () => {
  it.each([
    ["a limit refusal, even past maxAttempts", err("QUERY_LIMIT_EXCEEDED", 503), state(9, 0), false, 0, true],
    [
      "a limit refusal older than limitWaitMs",
      err("OPERATION_TIME_LIMIT", 429),
      state(1, 0),
      true,
      900_000,
      false,
    ],
    ["a transient failure of a read", err("INTERNAL_SERVER_ERROR", 500), state(1), true, 0, true],
    [
      "a transient failure of a write that may have run",
      err("INTERNAL_SERVER_ERROR", 500),
      state(1),
      false,
      0,
      false,
    ],
    ["a write that never left", err("NETWORK_ERROR", 0, false), state(1), false, 0, true],
    ["a permanent failure", err("insufficient_scope", 403), state(1), true, 0, false],
    ["a call past its maxLimitWaitMs", err("LIMIT_WAIT_EXCEEDED", 0, false), state(0, 0), true, 0, false],
    ["a deleted portal", err("PORTAL_DELETED", 500), state(1), true, 0, false],
    ["the last attempt", err("TIMEOUT", 0), state(5), true, 0, false],
  ])("%s", (_name, error, s, repeatable, now, expected) => {
    const decision = decideRetry(error, s, repeatable, DEFAULT_RETRY, now);
    expect(decision.retry).toBe(expected);
    if (decision.retry) expect(decision.delayMs).toBeGreaterThan(0);
  });

  it("anything but a B24Error (a bug, an abort) is never retried", () => {
    expect(decideRetry(new TypeError("x"), state(1), true, DEFAULT_RETRY, 0).retry).toBe(false);
  });
});

describe("retry step (fake transport, fake clock)", () => {
  it("backs off exponentially between attempts and reports each retry", async () => {
    const clock = new FakeClock();
    const sentAt: number[] = [];
    let failures = 2;
    const transport = fakeTransport(() => {
      sentAt.push(clock.now());
      return failures-- > 0 ? fail(502, "BAD_GATEWAY") : ok("done");
    });
    const retries: RetryEvent[] = [];
    const client = createB24Client({
      auth: webhookAuth(HOOK),
      fetch: transport,
      clock,
      limits: false,
      onRetry: (e) => retries.push(e),
    });
    const call = client.call("crm.deal.get", { id: 1 });
    await clock.runAll();
    await expect(call).resolves.toMatchObject({ result: "done" });
    expect(retries.map((r) => [r.attempt, r.code, r.limit])).toEqual([
      [1, "BAD_GATEWAY", false],
      [2, "BAD_GATEWAY", false],
    ]);
    const [first, second] = [sentAt[1]! - sentAt[0]!, sentAt[2]! - sentAt[1]!];
    expect(first).toBeGreaterThanOrEqual(400);
    expect(first).toBeLessThanOrEqual(600);
    expect(second).toBeGreaterThanOrEqual(800);
    expect(second).toBeLessThanOrEqual(1200);
    expect(retries.map((r) => r.delayMs)).toEqual([first, second]);
  });

  it("does not count limit refusals as attempts, and gives up on limits after limitWaitMs", async () => {
    const clock = new FakeClock();
    let refusals = 4;
    const flaky = fakeTransport(() => (refusals-- > 0 ? fail(503, "QUERY_LIMIT_EXCEEDED") : ok(1)));
    const client = createB24Client({
      auth: webhookAuth(HOOK),
      fetch: flaky,
      clock,
      limits: false,
      retry: { maxAttempts: 2 },
    });
    const call = client.call("profile");
    await clock.runAll();
    await expect(call).resolves.toMatchObject({ result: 1 });

    const always = fakeTransport(() => fail(503, "QUERY_LIMIT_EXCEEDED"));
    const stubborn = createB24Client({
      auth: webhookAuth(HOOK),
      fetch: always,
      clock,
      limits: false,
      retry: { limitWaitMs: 10_000, maxDelayMs: 2000 },
    });
    const started = clock.now();
    let settled = false;
    const refused = stubborn.call("profile").finally(() => {
      settled = true;
    });
    refused.catch(() => {});
    await clock.advance(9_000);
    expect(settled).toBe(false);
    await clock.runAll();
    await expect(refused).rejects.toMatchObject({ code: "QUERY_LIMIT_EXCEEDED" });
    expect(clock.now() - started).toBeGreaterThanOrEqual(10_000);
    expect(clock.now() - started).toBeLessThan(13_000);
  });

  it("the caller's abort ends a call waiting to retry, with the caller's reason, and nothing more is sent", async () => {
    const clock = new FakeClock();
    const transport = fakeTransport(() => {
      throw networkError("ECONNRESET");
    });
    const client = createB24Client({ auth: webhookAuth(HOOK), fetch: transport, clock, limits: false });
    const controller = new AbortController();
    const call = client.call("crm.deal.list", {}, { signal: controller.signal }).catch((e: unknown) => e);
    await clock.advance(100);
    controller.abort(new Error("user left"));
    expect(((await call) as Error).message).toBe("user left");
    await clock.runAll();
    expect(transport.requests).toHaveLength(1);
  });
});
