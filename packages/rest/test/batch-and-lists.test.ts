import { control, testEmulator, testPortal } from "@b24kit/emulator/testing";
import { B24BatchCommandError, type B24Client, B24Error, createB24Client, webhookAuth } from "@b24kit/rest";
import { afterAll, describe, expect, it } from "vitest";
import { collect } from "./helpers.js";

const emu = await testEmulator();
afterAll(() => emu.close());

describe("batch, list and fastList", () => {
  async function portalWith(
    deals: number,
  ): Promise<{ portal: any; client: B24Client; requests: () => Promise<number> }> {
    const portal = await testPortal(emu);
    if (deals > 0) await control(emu).seed(portal.memberId, { deals });
    await control(emu).resetStats(portal.memberId);
    const client = createB24Client({ auth: webhookAuth(portal.adminWebhookUrl), limits: false });
    return { portal, client, requests: async () => (await control(emu).stats(portal.memberId)).total };
  }

  it("batch: named commands with references, chunked by 50, errors named", async () => {
    const { client, requests } = await portalWith(0);
    const commands: Record<string, [string, Record<string, unknown>]> = {};
    for (let i = 0; i < 120; i++) commands[`add${i}`] = ["crm.deal.add", { fields: { TITLE: `deal ${i}` } }];
    commands.bad = ["crm.deal.get", { id: 999_999 }];
    const added = await client.batch(commands);
    expect(Object.keys(added.results)).toHaveLength(120);
    expect(await requests()).toBe(3);
    expect(added.ok).toBe(false);
    expect(added.errors.bad).toBeInstanceOf(B24BatchCommandError);
    expect(added.errors.bad!.command).toBe("bad");
    expect(() => added.get("bad")).toThrow(/batch command "bad" failed/);

    // A reference across chunks: resolved on our side, chunks then run in order.
    const chained: Record<string, [string, Record<string, unknown>]> = {};
    for (let i = 0; i < 60; i++) chained[`c${i}`] = ["crm.deal.get", { id: added.get<number>(`add${i}`) }];
    chained.last = ["crm.deal.get", { id: "$result[c3][ID]" }];
    chained.copy = ["crm.deal.add", { fields: { TITLE: "copy of $result[c55][TITLE]" } }];
    const r = await client.batch(chained);
    expect(r.get<{ ID: string }>("last").ID).toBe(String(added.get("add3")));
    const copy = await client.call<Record<string, string>>("crm.deal.get", { id: r.get("copy") });
    expect(copy.result.TITLE).toBe("copy of deal 55");
  });

  it("batch: positional commands and halt", async () => {
    const { client } = await portalWith(0);
    const r = await client.batch([["profile"], ["crm.deal.get", { id: 1 }], ["profile"]], { halt: true });
    expect(Object.keys(r.results)).toEqual(["0"]);
    expect(Object.keys(r.errors)).toEqual(["1"]);
    expect(r.skipped).toEqual(["2"]);
  });

  it("list(): every row by start/next, and stops when the caller stops", async () => {
    const { client, requests } = await portalWith(120);
    const rows = await collect(client.list<{ ID: string }>("crm.deal.list", { select: ["ID"] }));
    expect(rows.map((r) => Number(r.ID))).toEqual(Array.from({ length: 120 }, (_, i) => i + 1));
    expect(await requests()).toBe(3);
    for await (const _row of client.list("crm.deal.list")) break;
    expect(await requests()).toBe(4);
  });

  it("fastList: 2,500 rows per request, in order, no duplicates", async () => {
    const { client, requests } = await portalWith(5123);
    const rows = await collect(client.fastList<{ ID: string }>("crm.deal.list", { select: ["ID", "TITLE"] }));
    const ids = rows.map((r) => Number(r.ID));
    expect(ids).toHaveLength(5123);
    expect(new Set(ids).size).toBe(5123);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(await requests()).toBe(3);
  });

  it("fastList: exactly 2,500 or 50 rows cost one request (the count sizes the last batch)", async () => {
    const big = await portalWith(2500);
    expect(await collect(big.client.fastList("crm.deal.list"))).toHaveLength(2500);
    expect(await big.requests()).toBe(1);
    const small = await portalWith(50);
    expect(await collect(small.client.fastList("crm.deal.list"))).toHaveLength(50);
    expect(await small.requests()).toBe(1);
    const none = await portalWith(0);
    expect(await collect(none.client.fastList("crm.deal.list"))).toHaveLength(0);
    expect(await none.requests()).toBe(1);
  });

  it("fastList: with a custom filter it returns exactly what list() returns", async () => {
    const { client } = await portalWith(3000);
    const filter = { "@STAGE_ID": ["NEW", "WON"], ">OPPORTUNITY": 1000, "<ID": 2900, ">ID": 120 };
    const slow = await collect(client.list<{ ID: string }>("crm.deal.list", { filter, select: ["ID"] }));
    const fast = await collect(client.fastList<{ ID: string }>("crm.deal.list", { filter, select: ["ID"] }));
    expect(slow.length).toBeGreaterThan(100);
    expect(fast.map((r) => r.ID)).toEqual(slow.map((r) => r.ID));
  });

  it("fastList: without a count it still reads everything (stops at the first short page)", async () => {
    const { client, requests } = await portalWith(2600);
    const rows = await collect(client.fastList("crm.deal.list", {}, { count: false }));
    expect(rows).toHaveLength(2600);
    expect(await requests()).toBe(2);
  });

  it("fastList: crm.item.list (`id`, result.items) and parallel ID ranges", async () => {
    const { client } = await portalWith(1234);
    const items = await collect(
      client.fastList<{ id: number }>("crm.item.list", { entityTypeId: 2, select: ["id", "title"] }),
    );
    expect(items.map((i) => i.id)).toEqual(Array.from({ length: 1234 }, (_, i) => i + 1));
    const parallel = await collect(client.fastList<{ ID: string }>("crm.deal.list", {}, { parallel: 3 }));
    expect(parallel.map((r) => Number(r.ID)).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 1234 }, (_, i) => i + 1),
    );
  });

  it("fastList: tasks.task.list filters by ID and returns `id`", async () => {
    const { client } = await portalWith(0);
    const add = Array.from(
      { length: 75 },
      (_, i) => ["tasks.task.add", { fields: { TITLE: `t${i}`, RESPONSIBLE_ID: 1 } }] as const,
    );
    await client.batch(add);
    const tasks = await collect(
      client.fastList<{ id: string }>("tasks.task.list", { select: ["ID", "TITLE"] }),
    );
    expect(tasks).toHaveLength(75);
    expect(new Set(tasks.map((t) => t.id)).size).toBe(75);
  });

  it("fastList: refuses a custom order instead of losing rows, and stops early on request", async () => {
    const { client, requests } = await portalWith(3000);
    await expect(
      collect(client.fastList("crm.deal.list", { order: { TITLE: "ASC" } })),
    ).rejects.toMatchObject({ code: "FASTLIST_USAGE" });
    await expect(
      collect(client.fastList("crm.deal.list", { order: { TITLE: "ASC" } })),
    ).rejects.toBeInstanceOf(B24Error);
    let seen = 0;
    for await (const _ of client.fastList("crm.deal.list")) if (++seen === 10) break;
    expect(await requests()).toBe(1);
  });
});
