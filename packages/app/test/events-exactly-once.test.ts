import type { EventContext } from "@b24kit/app";
import { control, testEmulator, testPortal, waitFor } from "@b24kit/emulator/testing";
import { createB24Client, webhookAuth } from "@b24kit/rest";
import { afterAll, describe, expect, it } from "vitest";
import { type Harness, startApp } from "./app-harness.js";

// Every change the portal announces reaches its handler once: online POSTs and
// the offline queue (docs/protocol.md §7.1, §7.6) are matched by the runner, and
// the offline queue fills what the app missed while it was down. The
// emulator's delivery log is the witness of what the portal sent.
const emu = await testEmulator();
afterAll(() => emu.close());

const MANIFEST = {
  version: "1",
  scopes: ["crm"],
  events: [
    { event: "ONCRMDEALADD", offline: true },
    { event: "ONCRMDEALUPDATE", offline: true },
  ],
};

interface Seen {
  id: string;
  event: string;
  dealId: string;
  source: string;
}

interface Delivery {
  event: string;
  outcome: string;
  body: string;
}

async function eventsApp(memberId: string, seen: Seen[]): Promise<Harness> {
  const record = (ctx: EventContext<"ONCRMDEALADD" | "ONCRMDEALUPDATE">) => {
    seen.push({ id: ctx.id, event: ctx.event, dealId: ctx.data.FIELDS.ID, source: ctx.source });
  };
  const h = await startApp(emu, {
    registration: (url) => ({ installHandlerUrl: `${url}b24/install` }),
    manifest: MANIFEST,
    queue: true,
    handlers: { events: { ONCRMDEALADD: record, ONCRMDEALUPDATE: record } },
  });
  await control(emu).install(memberId, h.clientId);
  await waitFor(async () => (await h.app.tenants.get(memberId))?.state === "active");
  return h;
}

/** What the portal sent for deal events, as (event, deal id) pairs with the delivery's outcome. */
async function deliveries(
  memberId: string,
): Promise<Array<{ event: string; dealId: string; outcome: string }>> {
  await control(emu).eventsIdle();
  const { deliveries } = await control(emu).request<{ deliveries: Delivery[] }>(
    "GET",
    `portals/${memberId}/deliveries`,
  );
  return deliveries
    .filter((d) => d.event === "ONCRMDEALADD" || d.event === "ONCRMDEALUPDATE")
    .map((d) => ({
      event: d.event,
      dealId: new URLSearchParams(d.body).get("data[FIELDS][ID]") ?? "",
      outcome: d.outcome,
    }));
}

const pairs = (list: Array<{ event: string; dealId: string }>) =>
  list.map((e) => `${e.event}:${e.dealId}`).sort();

describe("events reach their handlers exactly once", () => {
  it("online: each delivered change once, the offline copies of the same changes merged away", async () => {
    const portal = await testPortal(emu, { plan: "professional" });
    const seen: Seen[] = [];
    const h = await eventsApp(portal.memberId, seen);
    try {
      const admin = createB24Client({ auth: webhookAuth(portal.adminWebhookUrl) });
      const ids: number[] = [];
      for (let i = 0; i < 8; i++)
        ids.push((await admin.call<number>("crm.deal.add", { fields: { TITLE: `Deal ${i}` } })).result);
      for (const id of ids)
        await admin.call("crm.deal.update", { id, fields: { TITLE: `Deal ${id}, renamed` } });

      const sent = await deliveries(portal.memberId);
      expect(sent).toHaveLength(16);
      expect(sent.every((d) => d.outcome === "ok")).toBe(true);
      await waitFor(() => seen.length >= 16, { timeoutMs: 20_000 });
      // The offline queue held the same changes; draining it (ONOFFLINEEVENT) adds nothing.
      await waitFor(async () => (await offlineRows(h, portal.memberId)) === 0, { timeoutMs: 20_000 });
      await settle(h);
      expect(pairs(seen)).toEqual(pairs(sent));
      expect(new Set(seen.map((s) => s.id)).size).toBe(seen.length);
      // Every change was read twice (the POST and the offline row, the latest per deal at least):
      // whichever ran second found the change claimed and was skipped, not run again.
      const metrics = await (await h.app.request("/metrics")).text();
      const count = (pattern: RegExp) =>
        [...metrics.matchAll(pattern)].reduce((sum, m) => sum + Number(m[1]), 0);
      const offlineRead = count(
        /b24kit_events_received_total\{event="ONCRMDEAL\w+",source="offline",outcome="\w+"\} (\d+)/g,
      );
      const merged =
        count(
          /b24kit_events_received_total\{event="ONCRMDEAL\w+",source="\w+",outcome="duplicate"\} (\d+)/g,
        ) + count(/b24kit_events_total\{event="ONCRMDEAL\w+",outcome="duplicate"\} (\d+)/g);
      expect(offlineRead).toBeGreaterThanOrEqual(8);
      expect(merged).toBe(offlineRead);
    } finally {
      await h.close();
    }
  });

  it("a POST sent seconds after its change (a busy portal) and the change's offline row run once", async () => {
    const portal = await testPortal(emu, { plan: "professional" });
    const seen: Seen[] = [];
    const h = await eventsApp(portal.memberId, seen);
    try {
      const change = 1_900_000_000;
      const copy = (id: string, ts: number, source: "online" | "offline") =>
        h.app.receive({
          memberId: portal.memberId,
          event: "ONCRMDEALUPDATE",
          data: { FIELDS: { ID: id } },
          ts,
          source,
        });
      // The row has the change's time; the POST's ts is when it left, 3 s later.
      await copy("7", change + 3, "online");
      await copy("7", change, "offline");
      // Offline first this time (a drain raced the POST).
      await copy("8", change, "offline");
      await copy("8", change + 1, "online");
      // Two POSTs in one second are two changes: the portal never repeats one.
      await copy("9", change, "online");
      await copy("9", change, "online");
      // A row older than the window is a change whose POST never came.
      await copy("10", change + 120, "online");
      await copy("10", change, "offline");
      expect(seen.map((s) => `${s.dealId}:${s.source}`)).toEqual([
        "7:online",
        "8:offline",
        "9:online",
        "9:online",
        "10:online",
        "10:offline",
      ]);
    } finally {
      await h.close();
    }
  });

  // Basic: no rest_offline_extended, so the drain cannot reserve rows and reads them deleting instead.
  it.each(["professional", "basic"] as const)(
    "the app down (%s): what the portal could not deliver comes through the offline queue, once",
    async (plan) => {
      const portal = await testPortal(emu, { plan });
      const seen: Seen[] = [];
      const h = await eventsApp(portal.memberId, seen);
      try {
        const admin = createB24Client({ auth: webhookAuth(portal.adminWebhookUrl) });
        const before = (await admin.call<number>("crm.deal.add", { fields: { TITLE: "Before" } })).result;
        await waitFor(() => seen.length === 1, { timeoutMs: 20_000 });

        await h.stop();
        const whileDown: number[] = [];
        for (let i = 0; i < 5; i++)
          whileDown.push(
            (await admin.call<number>("crm.deal.add", { fields: { TITLE: `Down ${i}` } })).result,
          );
        await admin.call("crm.deal.update", { id: before, fields: { TITLE: "Changed while down" } });
        const missed = (await deliveries(portal.memberId)).filter((d) => d.outcome !== "ok");
        expect(missed).toHaveLength(6);

        await h.start();
        // The restarted workers read the offline queue at once.
        await waitFor(() => seen.length >= 7, { timeoutMs: 30_000 });
        await settle(h);
        const sent = await deliveries(portal.memberId);
        expect(pairs(seen)).toEqual(pairs(sent));
        expect(
          seen
            .filter((s) => s.source === "offline")
            .map((s) => `${s.event}:${s.dealId}`)
            .sort(),
        ).toEqual(pairs(missed));
        expect(await h.app.queue?.deadLetters()).toEqual([]);
      } finally {
        await h.close();
      }
    },
  );
});

/**
 * Rows left in the app's offline queue (the runtime's bindings use its auth_connector, "b24kit");
 * waiting for deliveries also sends the ONOFFLINEEVENT nudges whose pause has ended.
 */
async function offlineRows(h: Harness, memberId: string): Promise<number> {
  await control(emu).eventsIdle();
  const page = await h.app
    .forPortal(memberId)
    .call<unknown[]>("event.offline.list", { auth_connector: "b24kit" });
  return page.total ?? page.result.length;
}

/** Waits until the app's queue has nothing waiting or running (a duplicate would have run by then). */
async function settle(h: Harness): Promise<void> {
  await waitFor(
    async () => {
      const stats = await h.app.queue?.stats();
      return stats !== undefined && stats.waiting === 0 && stats.running === 0;
    },
    { timeoutMs: 20_000 },
  );
}
