import type { EmulatorHandle } from "@b24kit/emulator";
import { control, testEmulator } from "@b24kit/emulator/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call } from "./helpers.js";

describe("batch (docs/protocol.md §6)", () => {
  let emu: EmulatorHandle;
  let hook: string;

  beforeAll(async () => {
    emu = await testEmulator();
    hook = emu.portals[0]!.adminWebhookUrl as string;
    // These tests are about batch semantics, not the request budget.
    await control(emu).send("PATCH", `portals/${emu.portals[0]!.memberId}`, {
      bucket: { burst: 10_000, drainPerSecond: 100 },
    });
  });
  afterAll(() => emu.close());

  it("runs named commands in order and resolves $result references", async () => {
    const r = await call(hook, "batch", {
      halt: 0,
      cmd: {
        add: "crm.deal.add?fields[TITLE]=Order%2042&fields[OPPORTUNITY]=100",
        get: "crm.deal.get?id=$result[add]",
        list: "crm.deal.list?filter[ID]=$result[add]&select[]=ID&select[]=TITLE",
        title: "crm.deal.list?filter[TITLE]=$result[get][TITLE]&select[]=ID",
      },
    });
    expect(r.status).toBe(200);
    const res = r.body.result as any;
    expect(res.result.get.TITLE).toBe("Order 42");
    expect(res.result.list).toEqual([{ ID: String(res.result.add), TITLE: "Order 42" }]);
    expect(res.result.title[0].ID).toBe(String(res.result.add));
    expect(res.result_total).toEqual({ list: 1, title: 1 });
    expect(Object.keys(res.result_time)).toEqual(["add", "get", "list", "title"]);
    expect(res.result_time.get).toMatchObject({
      start: expect.any(Number),
      finish: expect.any(Number),
      duration: expect.any(Number),
    });
    expect(r.body.time).toMatchObject({ start: expect.any(Number) });
  });

  it("returns arrays for positional commands and next for list pages", async () => {
    const cmd = Array.from({ length: 3 }, () => "crm.deal.add?fields[TITLE]=x");
    await call(hook, "batch", { cmd });
    await control(emu).send("POST", `portals/${emu.portals[0]!.memberId}/seed`, { deals: 50 });
    const r = await call(hook, "batch", { cmd: ["profile", "crm.deal.list?select[]=ID"] });
    const res = r.body.result as any;
    expect(Array.isArray(res.result)).toBe(true);
    expect(res.result[1]).toHaveLength(50);
    expect(res.result_next).toEqual({ 1: 50 });
    expect(Array.isArray(res.result_time)).toBe(true);
  });

  it("halts at the first failure with halt=1 and runs everything with halt=0", async () => {
    const cmd = { a: "profile", b: "crm.deal.get?id=999999", c: "profile" };
    const halted = (await call(hook, "batch", { halt: 1, cmd })).body.result as any;
    expect(Object.keys(halted.result)).toEqual(["a"]);
    expect(Object.keys(halted.result_error)).toEqual(["b"]);
    expect(halted.result_error.b).toMatchObject({
      error: expect.any(String),
      error_description: expect.any(String),
    });
    const all = (await call(hook, "batch", { halt: 0, cmd })).body.result as any;
    expect(Object.keys(all.result)).toEqual(["a", "c"]);
    expect(Object.keys(all.result_error)).toEqual(["b"]);
  });

  it("refuses a nested batch inside the batch", async () => {
    const r = await call(hook, "batch", { cmd: { inner: "batch?cmd[x]=profile", ok: "profile" } });
    expect(r.status).toBe(200);
    const res = r.body.result as any;
    expect(res.result_error.inner).toEqual({
      error: "ERROR_BATCH_METHOD_NOT_ALLOWED",
      error_description: "Method is not allowed for batch usage",
    });
    expect(res.result.ok.ID).toBe("1");
  });

  it("runs the first 50 commands and marks the rest ERROR_BATCH_LENGTH_EXCEEDED (or 400 in request mode)", async () => {
    const cmd = Object.fromEntries(Array.from({ length: 52 }, (_, i) => [`c${i}`, "profile"]));
    const res = (await call(hook, "batch", { cmd })).body.result as any;
    expect(Object.keys(res.result)).toHaveLength(50);
    expect(Object.keys(res.result_error)).toEqual(["c50", "c51"]);
    expect(res.result_error.c50.error).toBe("ERROR_BATCH_LENGTH_EXCEEDED");

    await control(emu).send("PATCH", "settings", { batchLengthMode: "request" });
    const whole = await call(hook, "batch", { cmd });
    expect(whole.status).toBe(400);
    expect(whole.body.error).toBe("ERROR_BATCH_LENGTH_EXCEEDED");
    await control(emu).send("PATCH", "settings", { batchLengthMode: "per-command" });
  });

  it("accepts the form encoding with double-encoded commands", async () => {
    const inner = `crm.deal.add?${new URLSearchParams({ "fields[TITLE]": "a&b=c" })}`;
    const body = `halt=0&cmd[x]=${encodeURIComponent(inner)}&cmd[y]=${encodeURIComponent("crm.deal.get?id=$result[x]")}`;
    const res = await fetch(`${hook}batch`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body,
    });
    const json = (await res.json()) as any;
    expect(json.result.result.y.TITLE).toBe("a&b=c");
  });

  it("leaves an unresolvable reference to a missing row as the portal does (the partial value)", async () => {
    const r = await call(hook, "batch", {
      cmd: { page: "crm.deal.list?select[]=ID&filter[<ID]=3", next: "crm.deal.get?id=$result[page][49][ID]" },
    });
    const res = r.body.result as any;
    expect(res.result.page.length).toBeLessThan(50);
    expect(res.result_error.next).toBeDefined();
  });
});
