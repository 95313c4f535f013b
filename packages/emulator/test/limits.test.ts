import { request } from "node:https";
import type { EmulatorHandle } from "@b24kit/emulator";
import { control, testEmulator } from "@b24kit/emulator/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call } from "./helpers.js";

/** A webhook call from a chosen local address (the portal also counts by source IP). */
function callFrom(localAddress: string, url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: "POST", localAddress, headers: { "content-type": "application/json" } },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("error", reject);
    req.end("{}");
  });
}

describe("limits (docs/protocol.md §4)", () => {
  let emu: EmulatorHandle;

  beforeAll(async () => {
    emu = await testEmulator();
  });
  afterAll(async () => {
    await control(emu).send("POST", "clock", { freeze: false });
    await emu.close();
  });

  it("lets 50 calls of a burst through on a standard plan and refuses the rest with 503, then drains at 2/s", async () => {
    const p = (await control(emu).send("POST", "portals", { plan: "standard" })).body;
    await control(emu).send("POST", "clock", { freeze: true });
    const statuses: number[] = [];
    const errors = new Set<string>();
    for (let i = 0; i < 60; i++) {
      const r = await call(p.adminWebhookUrl, "profile");
      statuses.push(r.status);
      if (r.body.error) errors.add(`${r.body.error}: ${r.body.error_description}`);
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(50);
    expect(statuses.slice(50)).toEqual(Array(10).fill(503));
    expect([...errors]).toEqual(["QUERY_LIMIT_EXCEEDED: Too many requests"]);

    // Time drains the bucket: after 1.1 s two more calls fit, the third does not.
    await control(emu).send("POST", "clock", { advanceSeconds: 1.1 });
    expect((await call(p.adminWebhookUrl, "profile")).status).toBe(200);
    expect((await call(p.adminWebhookUrl, "profile")).status).toBe(200);
    expect((await call(p.adminWebhookUrl, "profile")).status).toBe(503);
    await control(emu).send("POST", "clock", { advanceSeconds: 25 });
    expect((await call(p.adminWebhookUrl, "profile")).status).toBe(200);
    await control(emu).send("POST", "clock", { freeze: false });

    const stats = (await control(emu).send("GET", `portals/${p.memberId}/stats`)).body;
    expect(stats.requests.errors.QUERY_LIMIT_EXCEEDED).toBe(11);
  });

  it("gives Enterprise 250 and counts a batch of 50 as one request", async () => {
    const p = (await control(emu).send("POST", "portals", { plan: "enterprise" })).body;
    await control(emu).send("POST", "clock", { freeze: true });
    let ok = 0;
    for (let i = 0; i < 249; i++) if ((await call(p.adminWebhookUrl, "profile")).status === 200) ok++;
    const cmd = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`c${i}`, "profile"]));
    const batch = await call(p.adminWebhookUrl, "batch", { cmd });
    expect(batch.status).toBe(200);
    expect(Object.keys((batch.body.result as any).result)).toHaveLength(50);
    expect(ok).toBe(249);
    expect((await call(p.adminWebhookUrl, "profile")).status).toBe(503);
    await control(emu).send("POST", "clock", { freeze: false });
  });

  it("keeps a separate bucket per source address", async () => {
    const p = (await control(emu).send("POST", "portals", { plan: "standard" })).body;
    await control(emu).send("PATCH", `portals/${p.memberId}`, { bucket: { burst: 3, drainPerSecond: 0.01 } });
    const url = `${p.adminWebhookUrl}profile`;
    const fromA = [];
    for (let i = 0; i < 4; i++) fromA.push(await callFrom("127.0.0.1", url));
    expect(fromA).toEqual([200, 200, 200, 503]);
    expect(await callFrom("127.0.0.2", url)).toBe(200);
  });

  it("blocks a method after its operating time passes the limit, for that caller and method only", async () => {
    const p = (await control(emu).send("POST", "portals", {})).body;
    await control(emu).send("PATCH", `portals/${p.memberId}`, {
      operatingLimitSeconds: 0.2,
      latency: { "crm.deal.list": { baseMs: 120, perRowMs: 0 } },
    });
    const first = await call(p.adminWebhookUrl, "crm.deal.list");
    expect(first.status).toBe(200);
    const t1 = first.body.time as any;
    expect(t1.operating).toBeGreaterThanOrEqual(0.11);
    expect(t1.operating_reset_at).toBeGreaterThan(Date.now() / 1000 + 500);
    // The call that crosses the limit still completes; the next one is refused.
    expect((await call(p.adminWebhookUrl, "crm.deal.list")).status).toBe(200);
    const blocked = await call(p.adminWebhookUrl, "crm.deal.list");
    expect(blocked.status).toBe(429);
    expect(blocked.body).toEqual({
      error: "OPERATION_TIME_LIMIT",
      error_description: "Method is blocked due to operation time limit",
    });
    expect((await call(p.adminWebhookUrl, "crm.deal.fields")).status).toBe(200);
    const otherHook = (await control(emu).send("POST", `portals/${p.memberId}/webhooks`, {})).body.url;
    expect((await call(otherHook, "crm.deal.list")).status).toBe(200);

    await control(emu).send("POST", "clock", { advanceSeconds: 601 });
    expect((await call(p.adminWebhookUrl, "crm.deal.list")).status).toBe(200);
  });
});
