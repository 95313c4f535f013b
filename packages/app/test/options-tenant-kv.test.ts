import { InvalidOptionError, tenantKv } from "@b24kit/app";
import { describe, expect, it } from "vitest";
import { useTempSqliteStore } from "./temp-store.js";

const temp = useTempSqliteStore("kv");

const A = "a".repeat(32);
const B = "b".repeat(32);

type Data = {
  "report:2026-01": { rows: Array<{ deal: number; sum: number }>; note: string | null };
  "report:2026-02": { rows: Array<{ deal: number; sum: number }>; note: string | null };
  cursor: number;
  flags: Record<string, boolean>;
};

describe("tenantKv", () => {
  it("stores typed JSON values per tenant and gives them back exactly", async () => {
    const kv = tenantKv<Data>(temp.store, A);
    await kv.set("report:2026-01", { rows: [{ deal: 1, sum: 10.5 }], note: null });
    await kv.set("flags", {});
    await kv.set("cursor", 0);
    expect(await kv.get("report:2026-01")).toEqual({ rows: [{ deal: 1, sum: 10.5 }], note: null });
    expect(await kv.get("flags")).toEqual({});
    expect(await kv.get("cursor")).toBe(0);
    expect(await kv.get("report:2026-02")).toBeUndefined();
    // Overwrite.
    await kv.set("cursor", 42);
    expect(await kv.get("cursor")).toBe(42);
  });

  it("takes values far larger than an option may be", async () => {
    const kv = tenantKv<{ big: string[] }>(temp.store, A);
    const big = Array.from({ length: 20_000 }, (_, i) => `row ${i} ✓`);
    await kv.set("big", big);
    expect(await kv.get("big")).toEqual(big);
  });

  it("lists keys by prefix in key order and deletes", async () => {
    const kv = tenantKv<Data>(temp.store, B);
    await kv.set("report:2026-02", { rows: [], note: "b" });
    await kv.set("report:2026-01", { rows: [], note: "a" });
    await kv.set("cursor", 1);
    expect(await kv.keys("report:")).toEqual(["report:2026-01", "report:2026-02"]);
    expect(await kv.keys()).toEqual(["cursor", "report:2026-01", "report:2026-02"]);
    expect(await kv.delete("report:2026-01")).toBe(true);
    expect(await kv.delete("report:2026-01")).toBe(false);
    expect(await kv.keys("report:")).toEqual(["report:2026-02"]);
  });

  it("never shows one tenant's data to another", async () => {
    const a = tenantKv(temp.store, A);
    const c = tenantKv(temp.store, "c".repeat(32));
    await a.set("secret", "only A");
    expect(await c.get("secret")).toBeUndefined();
    expect(await c.keys()).toEqual([]);
    expect(await c.delete("secret")).toBe(false);
    expect(await a.get("secret")).toBe("only A");
  });

  it("refuses keys and values JSON cannot carry", async () => {
    const kv = tenantKv(temp.store, A);
    await expect(kv.set("", 1)).rejects.toBeInstanceOf(InvalidOptionError);
    await expect(kv.set("u", undefined as never)).rejects.toMatchObject({ code: "OPTION_INVALID" });
    await expect(kv.get("")).rejects.toBeInstanceOf(InvalidOptionError);
    expect(await kv.get("u")).toBeUndefined();
  });

  it("says so when a row holds text that is not JSON", async () => {
    await temp.store.tenant(A).kv.set("raw", "{not json");
    await expect(tenantKv(temp.store, A).get("raw")).rejects.toThrow(/not JSON/);
  });
});
