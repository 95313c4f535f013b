import { control, testEmulator, testPortal } from "@b24kit/emulator/testing";
import { type B24Error, createB24Client, webhookAuth } from "@b24kit/rest";
import { afterAll, describe, expect, it } from "vitest";

const fast = { maxAttempts: 4, baseDelayMs: 20, maxDelayMs: 100 };

const emu = await testEmulator();
afterAll(() => emu.close());

describe("retries that know what is safe", () => {
  async function setup() {
    const portal = await testPortal(emu);
    const client = createB24Client({
      auth: webhookAuth(portal.adminWebhookUrl),
      limits: false,
      retry: fast,
      timeoutMs: 500,
    });
    const fault = (body: Record<string, unknown>) => control(emu).fault(portal.memberId, body);
    return { portal, client, fault };
  }

  it("retries a read after a 500 and a dropped connection", async () => {
    const { portal, client, fault } = await setup();
    await fault({ method: "crm.deal.list", count: 1, status: 500, error: "INTERNAL_SERVER_ERROR" });
    await fault({ method: "crm.deal.list", count: 1, drop: true });
    await expect(client.call("crm.deal.list")).resolves.toMatchObject({ result: [] });
    expect((await control(emu).stats(portal.memberId)).byMethod["crm.deal.list"]).toBe(3);
  });

  it("does not repeat a write that may have reached the portal", async () => {
    const { portal, client, fault } = await setup();
    await fault({ method: "crm.deal.add", count: 1, status: 500, error: "INTERNAL_SERVER_ERROR" });
    const error = (await client
      .call("crm.deal.add", { fields: { TITLE: "x" } })
      .catch((e: unknown) => e)) as B24Error;
    expect(error).toMatchObject({ code: "INTERNAL_SERVER_ERROR", mayHaveReachedPortal: true });
    await fault({ method: "crm.deal.add", count: 1, drop: true });
    const dropped = (await client
      .call("crm.deal.add", { fields: { TITLE: "y" } })
      .catch((e: unknown) => e)) as B24Error;
    expect(dropped).toMatchObject({ code: "NETWORK_ERROR", kind: "transport", mayHaveReachedPortal: true });
    expect((await control(emu).stats(portal.memberId)).byMethod["crm.deal.add"]).toBe(2);
  });

  it("repeats a write the caller marked repeatable", async () => {
    const { portal, client, fault } = await setup();
    await fault({ method: "crm.deal.add", count: 1, status: 500, error: "INTERNAL_SERVER_ERROR" });
    await expect(
      client.call("crm.deal.add", { fields: { TITLE: "z" } }, { repeatable: true }),
    ).resolves.toMatchObject({ result: expect.any(Number) });
    expect((await control(emu).stats(portal.memberId)).byMethod["crm.deal.add"]).toBe(2);
  });

  it("always retries QUERY_LIMIT_EXCEEDED: the portal refused before running anything", async () => {
    const { portal, client, fault } = await setup();
    await fault({
      method: "crm.deal.add",
      count: 2,
      status: 503,
      error: "QUERY_LIMIT_EXCEEDED",
      description: "Too many requests",
    });
    await expect(client.call("crm.deal.add", { fields: { TITLE: "w" } })).resolves.toMatchObject({
      result: expect.any(Number),
    });
    const s = await control(emu).stats(portal.memberId);
    expect(s.byMethod["crm.deal.add"]).toBe(3);
    expect(s.errors.QUERY_LIMIT_EXCEEDED).toBe(2);
  });

  it("times out below the portal's 60 s; a read is retried, a write is not", async () => {
    const { portal, client, fault } = await setup();
    await fault({ method: "crm.deal.list", count: 1, latencyMs: 900 });
    await expect(client.call("crm.deal.list")).resolves.toBeDefined();
    await fault({ method: "crm.deal.add", count: 1, latencyMs: 900 });
    const error = (await client
      .call("crm.deal.add", { fields: { TITLE: "slow" } })
      .catch((e: unknown) => e)) as B24Error;
    expect(error).toMatchObject({ code: "TIMEOUT", kind: "transport", mayHaveReachedPortal: true });
    expect(error.message).toContain("check whether the change happened");
    expect((await control(emu).stats(portal.memberId)).byMethod["crm.deal.list"]).toBe(2);
  });

  it("gives up after maxAttempts with the last error", async () => {
    const { fault, client } = await setup();
    await fault({ method: "profile", count: 10, status: 502, error: "BAD_GATEWAY" });
    const error = (await client.call("profile").catch((e: unknown) => e)) as B24Error;
    expect(error).toMatchObject({ code: "BAD_GATEWAY", status: 502 });
  });
});
