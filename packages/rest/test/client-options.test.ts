import { testEmulator, testPortal } from "@b24kit/emulator/testing";
import {
  type B24ClientOptions,
  B24Error,
  createB24Client,
  MemoryBucketStore,
  STANDARD_LIMITS,
  webhookAuth,
} from "@b24kit/rest";
import { afterAll, describe, expect, it } from "vitest";
import { recordingFetch } from "./helpers.js";

// createB24Client checks its options where they come in (issue 16): a wrong value is refused with
// an error naming the option and what it takes, before any request, instead of failing later and
// elsewhere (a NaN timeout aborting every call, a bucket store given as the limits limiting nothing).
const emu = await testEmulator();
const portal = await testPortal(emu);
afterAll(() => emu.close());
const auth = webhookAuth(portal.adminWebhookUrl);

/** The error createB24Client throws for these options (they are wrong on purpose, hence the cast). */
function refusal(options: Record<string, unknown>): B24Error {
  try {
    createB24Client(options as unknown as B24ClientOptions);
  } catch (error) {
    return error as B24Error;
  }
  throw new Error(`accepted ${JSON.stringify(options)}`);
}

describe("createB24Client refuses options it cannot use", () => {
  it.for<[string, Record<string, unknown>, string]>([
    ["no auth", {}, "auth is required: an auth strategy: webhookAuth(url), oauthAuth({…}) or frameAuth({…})"],
    ["a URL instead of an auth strategy", { auth: portal.adminWebhookUrl }, "auth must be an auth strategy"],
    [
      "a timeout that is no number",
      { auth, timeoutMs: "30s" },
      'timeoutMs must be milliseconds above 0 (default 30000), got "30s"',
    ],
    ["a timeout that is NaN", { auth, timeoutMs: Number.NaN }, "timeoutMs must be milliseconds above 0"],
    [
      "no calls at once",
      { auth, maxConcurrentRequests: 0 },
      "maxConcurrentRequests must be a whole number from 1 (default 8), got 0",
    ],
    ["a misspelt option", { auth, timeout: 5000 }, "unknown option timeout (known: auth, fetch, timeoutMs,"],
    [
      "limits that are a number",
      { auth, limits: 50 },
      "limits must be false or {burst?, drainPerSecond?, store?, …}, got 50",
    ],
    [
      "a bucket store as the limits",
      { auth, limits: new MemoryBucketStore() },
      "limits must be {burst?, drainPerSecond?, store?, …}: a bucket store goes in limits.store",
    ],
    [
      "a burst of none",
      { auth, limits: { burst: 0, drainPerSecond: 2 } },
      "limits.burst must be a whole number of requests from 1",
    ],
    [
      "a misspelt limit",
      { auth, limits: { burst: 50, drain: 2 } },
      "unknown option limits.drain (known: burst, drainPerSecond, store,",
    ],
    [
      "a store without its methods",
      { auth, limits: { store: {} } },
      "limits.store must be a bucket store (reserve, release, fill)",
    ],
    [
      "a retry count below one",
      { auth, retry: { maxAttempts: 0 } },
      "retry.maxAttempts must be a whole number of attempts from 1",
    ],
    [
      "a misspelt retry option",
      { auth, retry: { attempts: 3 } },
      "unknown option retry.attempts (known: maxAttempts,",
    ],
    [
      "a reserve as large as the budget",
      { auth, operatingLimitSeconds: 5 },
      "operatingReserveSeconds (5) must be below operatingLimitSeconds (5)",
    ],
    [
      "a hook that is no function",
      { auth, onAudit: "console.log" },
      'onAudit must be a function, got "console.log"',
    ],
    [
      "a clock without sleep",
      { auth, clock: { now: () => 0 } },
      "clock must be a clock with now() and sleep(ms, signal)",
    ],
  ])("%s", ([, options, message]) => {
    const error = refusal(options);
    expect(error).toBeInstanceOf(B24Error);
    expect(error.code).toBe("INVALID_CLIENT_OPTIONS");
    expect(error.kind).toBe("usage");
    expect(error.message).toContain(`createB24Client: ${message}`);
    expect(error.message).not.toContain("\n");
  });

  it("names every problem at once", () => {
    const error = refusal({ auth, timeoutMs: -1, retry: { maxAttempts: 1.5 } });
    expect(error.message).toMatch(/timeoutMs must be .*; retry\.maxAttempts must be /);
  });

  it("sends nothing when it refuses: the error comes before any client exists", () => {
    const rec = recordingFetch();
    refusal({ auth, fetch: rec.fetch, timeoutMs: 0 });
    expect(rec.requests).toEqual([]);
  });
});

describe("createB24Client takes what it can use", () => {
  it("good options, undefined ones as absent, and calls the portal with them", async () => {
    const rec = recordingFetch();
    const client = createB24Client({
      auth,
      fetch: rec.fetch,
      timeoutMs: 10_000,
      limits: { ...STANDARD_LIMITS, store: new MemoryBucketStore() },
      retry: { maxAttempts: 2 },
      maxLimitWaitMs: Number.POSITIVE_INFINITY,
      onAudit: undefined,
    });
    const profile = await client.call<{ ID: number | string }>("profile");
    expect(String(profile.result.ID)).toBe("1");
    expect(rec.requests).toHaveLength(1);
  });
});
