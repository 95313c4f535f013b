import { control, testEmulator, testPortal } from "@b24kit/emulator/testing";
import { createB24Client, webhookAuth } from "@b24kit/rest";
import { afterAll, expect, it } from "vitest";

// One AbortSignal handed to many concurrent calls (a page's Promise.all, a job's cancel): each call
// used to put its own abort listener on it, and from the 11th Node printed
// MaxListenersExceededWarning into the app's logs. Now the signal holds one listener
// (src/time/abort-listeners.ts), and aborting it still stops every call waiting on it.
const emu = await testEmulator();
const portal = await testPortal(emu);
afterAll(() => emu.close());

it("40 calls on one signal: no listener warning, all done; an abort stops those in flight", async () => {
  // Each answer takes 150 ms, so the calls are in flight together (and queue at the client's gate).
  await control(emu).updatePortal(portal.memberId, { requestLatencyMs: 150 });
  const warnings: string[] = [];
  const onWarning = (w: Error) => warnings.push(`${w.name}: ${w.message}`);
  process.on("warning", onWarning);
  try {
    const client = createB24Client({ auth: webhookAuth(portal.adminWebhookUrl), limits: false });
    const shared = new AbortController();
    const done = await Promise.all(
      Array.from({ length: 40 }, () => client.call("profile", {}, { signal: shared.signal })),
    );
    expect(done).toHaveLength(40);

    const stopping = new AbortController();
    const inFlight = Array.from({ length: 40 }, () =>
      client.call("profile", {}, { signal: stopping.signal }).then(
        () => "answered",
        (error: unknown) => (error === stopping.signal.reason ? "aborted" : `other: ${String(error)}`),
      ),
    );
    setTimeout(() => stopping.abort(new Error("the user left the page")), 50);
    const outcomes = await Promise.all(inFlight);
    expect(outcomes.filter((o) => o === "aborted").length).toBe(40);
    // Warnings are emitted on the next tick.
    await new Promise((resolve) => setImmediate(resolve));
    expect(warnings.filter((w) => w.startsWith("MaxListenersExceededWarning"))).toEqual([]);
  } finally {
    process.off("warning", onWarning);
    await control(emu).updatePortal(portal.memberId, { requestLatencyMs: 0 });
  }
});
