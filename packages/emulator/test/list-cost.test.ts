import type { EmulatorHandle } from "@b24kit/emulator";
import { control, testEmulator } from "@b24kit/emulator/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call } from "./helpers.js";

let emu: EmulatorHandle;

beforeAll(async () => {
  emu = await testEmulator();
});
afterAll(async () => {
  await emu?.close();
});

/** Rows the list engine examined for the calls made since the last reset, per the portal's stats. */
async function scannedBy(memberId: string, base: string, params: Record<string, unknown>) {
  await control(emu).send("DELETE", `portals/${memberId}/stats`);
  const reply = await call(base, "crm.deal.list", params);
  expect(reply.status).toBe(200);
  const stats = (await control(emu).send("GET", `portals/${memberId}/stats`)).body.requests;
  return {
    body: reply.body,
    scanned: stats.rowsScanned,
    byMethod: stats.rowsScannedByMethod["crm.deal.list"],
  };
}

describe("list cost: rows scanned as a database with an index on ID would", () => {
  let memberId: string;
  let base: string;

  beforeAll(async () => {
    const created = await control(emu).send("POST", "portals", {});
    memberId = created.body.memberId;
    base = created.body.adminWebhookUrl;
    await control(emu).send("PATCH", `portals/${memberId}`, {
      bucket: { burst: 100_000, drainPerSecond: 10_000 },
    });
    await control(emu).send("POST", `portals/${memberId}/seed`, { deals: 1000 });
  });

  it("a keyset page (>ID, start=-1) examines only its 50 rows", async () => {
    const r = await scannedBy(memberId, base, { order: { ID: "ASC" }, filter: { ">ID": 900 }, start: -1 });
    expect(r.body.result.map((d: { ID: string }) => Number(d.ID))).toEqual(
      Array.from({ length: 50 }, (_, i) => 901 + i),
    );
    expect(r.scanned).toBe(50);
    expect(r.byMethod).toBe(50);
  });

  it("an offset page pays for its COUNT and for the rows it skips", async () => {
    const r = await scannedBy(memberId, base, { order: { ID: "ASC" }, start: 900 });
    expect(r.body).toMatchObject({ total: 1000, next: 950 });
    expect(r.body.result[0].ID).toBe("901");
    expect(r.scanned).toBe(1000 + 950);
    const first = await scannedBy(memberId, base, { order: { ID: "ASC" }, start: 0 });
    expect(first.scanned).toBe(1000 + 50);
  });

  it("another order examines every row to sort them", async () => {
    const r = await scannedBy(memberId, base, { order: { TITLE: "DESC" }, start: -1 });
    expect(r.scanned).toBe(1000);
  });

  it("the latency model charges per scanned row", async () => {
    await control(emu).send("PATCH", `portals/${memberId}`, {
      latency: { "crm.deal.list": { baseMs: 0, perRowMs: 0, perScannedRowMs: 0.5 } },
    });
    const keyset = await scannedBy(memberId, base, {
      order: { ID: "ASC" },
      filter: { ">ID": 900 },
      start: -1,
    });
    const offset = await scannedBy(memberId, base, { order: { ID: "ASC" }, start: 900 });
    await control(emu).send("PATCH", `portals/${memberId}`, { latency: {} });
    // 50 rows × 0.5 ms = 25 ms against 1,950 rows × 0.5 ms = 975 ms of reported processing.
    expect(keyset.body.time.processing).toBeLessThan(0.5);
    expect(offset.body.time.processing).toBeGreaterThanOrEqual(0.9);
  });
});
