import { createB24Client, MemoryTokenStore, webhookAuth } from "@b24kit/rest";
import { describeTokenStore, FakeClock, fail, fakeTransport, ok } from "@b24kit/rest/testing";
import { describe, expect, it } from "vitest";

it("sends a read again after the portal's 503, once its backoff has passed on the fake clock", async () => {
  const clock = new FakeClock();
  let calls = 0;
  const transport = fakeTransport(() =>
    ++calls === 1 ? fail(503, "INTERNAL_SERVER_ERROR") : ok({ ID: "1" }),
  );
  const b24 = createB24Client({
    auth: webhookAuth("https://acme.bitrix24.com/rest/1/x/"),
    fetch: transport,
    clock,
  });
  const pending = b24.call("profile");
  await clock.runAll(); // every backoff, limiter wait and timeout plays out at once
  expect((await pending).result).toEqual({ ID: "1" });
  expect(transport.requests.map((r) => r.method)).toEqual(["profile", "profile"]); // what was sent
});

// Also describeBucketStore and describeRefreshLock, for adapters of your own.
describeTokenStore("MemoryTokenStore", () => new MemoryTokenStore(), { describe, it });
