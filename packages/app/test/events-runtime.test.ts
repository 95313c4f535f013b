import type { EventContext } from "@b24kit/app";
import { control, testEmulator, testPortal, waitFor } from "@b24kit/emulator/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startApp } from "./app-harness.js";

// What handlers get and what operators see: a typed context bound to the
// tenant, writes tagged with the runtime's auth_connector (no loop through the
// offline queue), lifecycle events for the app's own handlers, dead letters in
// the audit log and the metrics, /readyz checking the queue.
const emu = await testEmulator();
let h: Harness;
let memberId: string;
const calls: Array<{ event: string; attempt: number; title?: string }> = [];

beforeAll(async () => {
  const portal = await testPortal(emu, { plan: "professional" });
  memberId = portal.memberId;
  h = await startApp(emu, {
    registration: (url) => ({ installHandlerUrl: `${url}b24/install` }),
    manifest: {
      version: "1",
      scopes: ["crm"],
      events: [{ event: "ONCRMDEALUPDATE", offline: true }, { event: "ONCRMLEADADD" }],
    },
    queue: { policy: { maxAttempts: 2, backoffMs: 50 } },
    handlers: {
      events: {
        ONAPPINSTALL: (ctx) => void calls.push({ event: ctx.event, attempt: ctx.attempt }),
        async ONCRMDEALUPDATE(ctx: EventContext<"ONCRMDEALUPDATE">) {
          const deal = await ctx.b24.call<{ TITLE: string }>("crm.deal.get", { id: ctx.data.FIELDS.ID });
          calls.push({ event: ctx.event, attempt: ctx.attempt, title: deal.result.TITLE });
          // The app's own write: tagged, so it does not come back through the offline queue.
          if (!deal.result.TITLE.endsWith("(scored)"))
            await ctx.b24.call("crm.deal.update", {
              id: ctx.data.FIELDS.ID,
              fields: { TITLE: `${deal.result.TITLE} (scored)` },
            });
        },
        ONCRMLEADADD(ctx) {
          calls.push({ event: ctx.event, attempt: ctx.attempt });
          throw new Error(`lead ${String(ctx.data.FIELDS.ID)} cannot be scored`);
        },
      },
    },
  });
  await control(emu).install(memberId, h.clientId);
  await waitFor(async () => (await h.app.tenants.get(memberId))?.state === "active");
});
afterAll(async () => {
  await h.close();
  await emu.close();
});

describe("event handlers at work", () => {
  it("the app's own handler gets ONAPPINSTALL after the runtime has installed the tenant", async () => {
    await waitFor(() => calls.some((c) => c.event === "ONAPPINSTALL"));
  });

  it("app.receive runs a handler with the tenant's client and the typed context", async () => {
    const deal = await h.app
      .forPortal(memberId)
      .call<number>("crm.deal.add", { fields: { TITLE: "Big one" } });
    await h.app.receive({
      memberId,
      event: "ONCRMDEALUPDATE",
      data: { FIELDS: { ID: String(deal.result) } },
    });
    expect(calls.find((c) => c.title === "Big one")).toMatchObject({ event: "ONCRMDEALUPDATE", attempt: 1 });
    const stored = await h.app
      .forPortal(memberId)
      .call<{ TITLE: string }>("crm.deal.get", { id: deal.result });
    expect(stored.result.TITLE).toBe("Big one (scored)");
  });

  it("a handler that keeps failing becomes a dead letter: audit log, metrics, deadLetters()", async () => {
    const lead = await h.app
      .forPortal(memberId)
      .call<number>("crm.lead.add", { fields: { TITLE: "Cold lead" } });
    await waitFor(async () => ((await h.app.queue?.deadLetters({ memberId })) ?? []).length === 1, {
      timeoutMs: 20_000,
    });
    const [dead] = (await h.app.queue?.deadLetters({ memberId })) ?? [];
    expect(dead?.lastError).toContain(`lead ${lead.result} cannot be scored`);
    expect(calls.filter((c) => c.event === "ONCRMLEADADD").map((c) => c.attempt)).toEqual([1, 2]);
    await h.app.audit.flush();
    const audit = await h.store.tenant(memberId).audit.query({ kinds: ["event"] });
    const lines = audit.filter((e) => e.action === "ONCRMLEADADD");
    expect(lines.map((e) => (e.detail as { deadLetter?: boolean }).deadLetter).sort()).toEqual([false, true]);
    const metrics = await (await h.app.request("/metrics")).text();
    expect(metrics).toContain('b24kit_events_total{event="ONCRMLEADADD",outcome="failed"} 1');
    expect(metrics).toContain('b24kit_events_total{event="ONCRMLEADADD",outcome="dead"} 1');
    expect(metrics).toMatch(/b24kit_queue_jobs\{state="dead"\} 1/);
    expect(metrics).not.toContain(memberId);
  });

  it("/readyz checks the store and the queue", async () => {
    const ready = await h.app.request("/readyz");
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ok: true, checks: { store: "ok", queue: "ok" } });
  });
});

describe("the handlers' writes and the offline queue", () => {
  it("a handler's write carries the auth_connector, so the portal does not queue it back to the app", async () => {
    const portal = await testPortal(emu, { plan: "professional" });
    // No workers: nothing drains the offline queue while the test looks at it.
    const quiet = await startApp(emu, {
      registration: (url) => ({ installHandlerUrl: `${url}b24/install` }),
      manifest: { version: "1", scopes: ["crm"], events: [{ event: "ONCRMDEALUPDATE", offline: true }] },
      queue: true,
      runtime: { workers: 0 },
      handlers: {
        events: {
          async ONCRMDEALUPDATE(ctx) {
            await ctx.b24.call("crm.deal.update", {
              id: ctx.data.FIELDS.ID,
              fields: { TITLE: "by the handler" },
            });
          },
        },
      },
    });
    try {
      await control(emu).install(portal.memberId, quiet.clientId);
      await waitFor(async () => (await quiet.app.tenants.get(portal.memberId))?.state === "active");
      const client = quiet.app.forPortal(portal.memberId);
      const [first, second] = [
        (await client.call<number>("crm.deal.add", { fields: { TITLE: "one" } })).result,
        (await client.call<number>("crm.deal.add", { fields: { TITLE: "two" } })).result,
      ];
      await quiet.app.receive({
        memberId: portal.memberId,
        event: "ONCRMDEALUPDATE",
        data: { FIELDS: { ID: String(first) } },
      });
      // The same write, not from a handler: queued for the app as any change is.
      await client.call("crm.deal.update", { id: second, fields: { TITLE: "by someone else" } });
      await control(emu).eventsIdle();
      const rows = await client.call<Array<{ EVENT_DATA: { FIELDS: { ID: string } } }>>(
        "event.offline.list",
        {
          auth_connector: "b24kit",
        },
      );
      expect(rows.result.map((r) => r.EVENT_DATA.FIELDS.ID)).toEqual([String(second)]);
    } finally {
      await quiet.close();
    }
  });
});
