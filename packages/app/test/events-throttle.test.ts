import { eventRequest } from "@b24kit/app/testing";
import { control, testEmulator, testPortal, waitFor } from "@b24kit/emulator/testing";
import { afterAll, expect, it } from "vitest";
import { startApp } from "./app-harness.js";

// One portal at its request limit does not hold the workers: its jobs are
// postponed (the REST client gives up waiting after maxLimitWaitMs and the
// runner holds that portal's other jobs back), and another portal's event
// runs meanwhile — with a single worker.
const emu = await testEmulator();
afterAll(() => emu.close());

it("a throttled portal's jobs wait without a worker; another portal's event runs at once", {
  timeout: 60_000,
}, async () => {
  const busy = await testPortal(emu);
  const calm = await testPortal(emu);
  const runs: Array<{ memberId: string; dealId: string; at: number; done: boolean }> = [];
  const h = await startApp(emu, {
    registration: (url) => ({ installHandlerUrl: `${url}b24/install` }),
    manifest: { version: "1", scopes: ["crm"], events: [{ event: "ONCRMDEALUPDATE" }] },
    queue: true,
    runtime: { workers: 1, maxLimitWaitMs: 300 },
    handlers: {
      events: {
        async ONCRMDEALUPDATE(ctx) {
          const run = {
            memberId: ctx.tenant.memberId,
            dealId: ctx.data.FIELDS.ID,
            at: Date.now(),
            done: false,
          };
          runs.push(run);
          await ctx.b24.call("profile");
          await ctx.b24.call("profile");
          run.done = true;
        },
      },
    },
  });
  try {
    const tokens: Record<string, string> = {};
    for (const portal of [busy, calm]) {
      await control(emu).install(portal.memberId, h.clientId);
      await waitFor(async () => (await h.app.tenants.get(portal.memberId))?.state === "active");
      tokens[portal.memberId] = (
        await control(emu).request<{ applicationToken: string }>(
          "GET",
          `portals/${portal.memberId}/apps/${h.clientId}`,
        )
      ).applicationToken;
    }
    // The busy portal now allows one request every 20 s.
    await control(emu).request("PATCH", `portals/${busy.memberId}`, {
      bucket: { burst: 1, drainPerSecond: 0.05 },
    });
    const send = (memberId: string, dealId: number) =>
      fetch(
        eventRequest({
          appUrl: h.publicUrl,
          memberId,
          applicationToken: tokens[memberId]!,
          domain: memberId === busy.memberId ? busy.domain : calm.domain,
          event: "ONCRMDEALUPDATE",
          data: { FIELDS: { ID: dealId } },
        }),
      );
    for (let i = 1; i <= 10; i++) expect((await send(busy.memberId, i)).status).toBe(200);
    const sentAt = Date.now();
    expect((await send(calm.memberId, 99)).status).toBe(200);

    await waitFor(() => runs.some((r) => r.memberId === calm.memberId && r.done), { timeoutMs: 20_000 });
    const calmRun = runs.find((r) => r.memberId === calm.memberId)!;
    // Not behind ten jobs of two calls each at one call per 20 s: within a few seconds.
    expect(calmRun.at - sentAt).toBeLessThan(10_000);
    const busyRuns = runs.filter((r) => r.memberId === busy.memberId);
    expect(busyRuns.filter((r) => r.done).length).toBeLessThan(10);
    // Held back, not spun: few of the busy portal's jobs even started a handler.
    expect(busyRuns.length).toBeLessThanOrEqual(3);
    const stats = await h.app.queue!.stats();
    expect(stats.waiting).toBeGreaterThanOrEqual(8);
    const metrics = await (await h.app.request("/metrics")).text();
    expect(metrics).toMatch(/b24kit_events_postponed_total\{event="ONCRMDEALUPDATE"\} [1-9]/);
  } finally {
    await h.close();
  }
});
