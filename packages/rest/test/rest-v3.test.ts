import { control, installApp, testEmulator, testPortal } from "@b24kit/emulator/testing";
import { type B24Error, createB24Client, MemoryTokenStore, tokensFromAuth, webhookAuth } from "@b24kit/rest";
import { afterAll, describe, expect, it } from "vitest";
import { appAuth } from "./helpers.js";

// REST 3.0 through the same client (api-reference/rest-v3.md): its own address and envelopes,
// the same credentials, limits and retries.
const emu = await testEmulator();
afterAll(() => emu.close());

describe("client.v3", () => {
  it("calls /rest/api/ with a webhook or an app's token and returns the v3 envelope", async () => {
    const portal = await testPortal(emu);
    const hook = createB24Client({ auth: webhookAuth(portal.adminWebhookUrl), limits: false });
    const added = await hook.v3.call<{ item: { id: number; title: string } }>("tasks.task.add", {
      fields: { title: "Via v3", creatorId: 1, responsibleId: 1 },
    });
    expect(added.result.item.title).toBe("Via v3");
    const app = await installApp(emu, portal.memberId, { scopes: ["task"] });
    const oauth = createB24Client({
      auth: appAuth(app, new MemoryTokenStore(tokensFromAuth(app.auth))),
      limits: false,
    });
    const got = await oauth.v3.call<{ item: Record<string, unknown> }>("tasks.task.get", {
      id: added.result.item.id,
      select: ["title", "responsible.name"],
    });
    expect(got.result.item).toEqual({ title: "Via v3", responsible: { name: "Admin Portal" } });
    const stats = await control(emu).stats(portal.memberId);
    expect(stats.byMethod["tasks.task.add"]).toBe(1);
  });

  it("maps the v3 error shape onto B24Error: code, kind, the fields that failed", async () => {
    const portal = await testPortal(emu);
    const client = createB24Client({ auth: webhookAuth(portal.adminWebhookUrl), limits: false });
    const error = (await client.v3.call("tasks.task.get", {}).catch((e: unknown) => e)) as B24Error;
    expect(error).toMatchObject({
      code: "BITRIX_REST_V3_EXCEPTION_VALIDATION_REQUESTVALIDATIONEXCEPTION",
      status: 400,
      kind: "invalid",
      retryable: false,
      validation: [{ field: "id", message: "Required field `id` is not specified" }],
    });
    expect(error.message).toContain("id: Required field `id` is not specified");
    const { url } = await control(emu).addWebhook(portal.memberId, { scopes: ["crm"] });
    const scoped = createB24Client({ auth: webhookAuth(url), limits: false });
    await expect(scoped.v3.call("tasks.task.list")).rejects.toMatchObject({
      code: "BITRIX_REST_V3_EXCEPTION_INSUFFICIENTSCOPEEXCEPTION",
      kind: "access",
    });
  });

  it("a write with an Idempotency-Key is safe to send again after a lost answer; without one it is not", async () => {
    const portal = await testPortal(emu);
    const client = createB24Client({
      auth: webhookAuth(portal.adminWebhookUrl),
      limits: false,
      retry: { baseDelayMs: 10, maxDelayMs: 20 },
    });
    const add = (title: string, idempotencyKey?: string) =>
      client.v3.call(
        "tasks.task.add",
        { fields: { title, creatorId: 1, responsibleId: 1 } },
        { ...(idempotencyKey ? { idempotencyKey } : {}) },
      );
    await control(emu).fault(portal.memberId, { method: "tasks.task.add", count: 1, drop: true });
    await expect(add("No key")).rejects.toMatchObject({ code: "NETWORK_ERROR", mayHaveReachedPortal: true });
    await control(emu).fault(portal.memberId, { method: "tasks.task.add", count: 1, drop: true });
    const keyed = await add("With key", "3f2c7a1e-0001");
    expect(keyed.result).toMatchObject({ item: { title: "With key" } });
    // REST 3.0 filters tasks by `id` only (tasks-task-list-rest-v3.md): the titles are compared here.
    const listed = await client.v3.call<{ items: Array<{ title: string }> }>("tasks.task.list", {
      select: ["title"],
    });
    expect(listed.result.items.filter((t) => t.title === "With key")).toHaveLength(1);
  });
});
