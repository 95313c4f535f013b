import { control, installApp, testEmulator, testPortal } from "@b24kit/emulator/testing";
import {
  type AuditEvent,
  B24Error,
  createB24Client,
  tokensFromAuth,
  typedMethods,
  webhookAuth,
} from "@b24kit/rest";
import { afterAll, describe, expect, it } from "vitest";
import { recordingFetch } from "./helpers.js";

const emu = await testEmulator();
const portal = await testPortal(emu);
afterAll(() => emu.close());

describe("B24Client.call against the emulator", () => {
  it("POSTs JSON (never a GET query string) and returns the envelope", async () => {
    const rec = recordingFetch();
    const client = createB24Client({
      auth: webhookAuth(portal.adminWebhookUrl),
      fetch: rec.fetch,
      limits: false,
    });
    const id = (await client.call<number>("crm.deal.add", { fields: { TITLE: "a&b=c", OPPORTUNITY: 5 } }))
      .result;
    const got = await client.call<Record<string, string>>("crm.deal.get", { id });
    expect(got.result.TITLE).toBe("a&b=c");
    expect(got.time).toMatchObject({ operating: expect.any(Number) });
    expect(rec.requests.every((r) => r.method === "POST" && !r.url.includes("?"))).toBe(true);
  });

  it("types errors with the portal's code and status and says what to do", async () => {
    const client = createB24Client({ auth: webhookAuth(portal.adminWebhookUrl), limits: false });
    const notFound = await client.call("crm.deal.nosuch").catch((e: unknown) => e);
    expect(notFound).toBeInstanceOf(B24Error);
    expect(notFound).toMatchObject({
      code: "ERROR_METHOD_NOT_FOUND",
      status: 404,
      kind: "not_found",
      retryable: false,
    });

    const hook = await control(emu).addWebhook(portal.memberId, {
      scopes: ["user"],
    });
    const scoped = createB24Client({ auth: webhookAuth(hook.url), limits: false });
    const scope = (await scoped.call("crm.deal.list").catch((e: unknown) => e)) as B24Error;
    expect(scope).toMatchObject({ code: "insufficient_scope", status: 403, kind: "access" });
    expect(scope.message).toContain('lacks the "crm" scope');

    const free = await control(emu).createPortal({ plan: "free" });
    const freeClient = createB24Client({ auth: webhookAuth(free.adminWebhookUrl), limits: false });
    const plan = (await freeClient.call("profile").catch((e: unknown) => e)) as B24Error;
    expect(plan).toMatchObject({ code: "ACCESS_DENIED", status: 403 });
    expect(plan.message).toContain("free plan");

    const doomed = await control(emu).createPortal({});
    await control(emu).deletePortal(doomed.memberId);
    const deleted = createB24Client({ auth: webhookAuth(doomed.adminWebhookUrl), limits: false });
    const gone = (await deleted.call("profile").catch((e: unknown) => e)) as B24Error;
    expect(gone).toMatchObject({ code: "PORTAL_DELETED", status: 500, kind: "portal", retryable: false });
    expect(gone.message).toContain("mark the tenant inactive");
  });

  it("follows a 302 domain move with the body re-posted, reports it, and then calls the new domain", async () => {
    const p = await testPortal(emu);
    const moves: Array<{ from: string; to: string }> = [];
    const rec = recordingFetch();
    const client = createB24Client({
      auth: webhookAuth(p.adminWebhookUrl),
      fetch: rec.fetch,
      limits: false,
      onDomainMoved: (m) => moves.push(m),
    });
    const moved = await control(emu).moveDomain(p.memberId);
    const id = (await client.call<number>("crm.deal.add", { fields: { TITLE: "after move" } })).result;
    expect(moves).toEqual([{ from: `https://${p.domain}`, to: `https://${moved.domain}` }]);
    expect(rec.requests.map((r) => new URL(r.url).host)).toEqual([p.domain, moved.domain]);
    await client.call("crm.deal.get", { id });
    expect(new URL(rec.requests.at(-1)!.url).host).toBe(moved.domain);
    const stats = await control(emu).request<any>("GET", `portals/${p.memberId}/stats`);
    expect(stats.requests.byMethod["crm.deal.add"]).toBe(1);
  });

  it("reports every call to the audit hook with secrets redacted", async () => {
    const { auth } = await installApp(emu, portal.memberId);
    const events: AuditEvent[] = [];
    const { MemoryTokenStore, oauthAuth } = await import("@b24kit/rest");
    const store = new MemoryTokenStore(tokensFromAuth(auth));
    const client = createB24Client({
      auth: oauthAuth({ memberId: auth.member_id, clientId: "x", clientSecret: "y", store }),
      limits: false,
      onAudit: (e) => events.push(e),
    });
    await client.call("crm.deal.list", {
      filter: { ">ID": 0 },
      access_token: "leak",
      nested: { refresh_token: "leak" },
    });
    await client.call("nope.nope").catch(() => {});
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({
      method: "crm.deal.list",
      ok: true,
      status: 200,
      attempts: 1,
      portal: auth.member_id,
    });
    expect(events[1]).toMatchObject({
      method: "nope.nope",
      ok: false,
      status: 404,
      code: "ERROR_METHOD_NOT_FOUND",
    });
    const text = JSON.stringify(events);
    expect(text).not.toContain("leak");
    expect(text).not.toContain(auth.access_token);

    const hookEvents: AuditEvent[] = [];
    const hookClient = createB24Client({
      auth: webhookAuth(portal.adminWebhookUrl),
      limits: false,
      onAudit: (e) => hookEvents.push(e),
    });
    await hookClient.call("profile", { note: portal.adminWebhookUrl });
    const code = new URL(portal.adminWebhookUrl).pathname.split("/")[3]!;
    expect(JSON.stringify(hookEvents)).not.toContain(code);
  });

  it("offers typed methods over the same call path", async () => {
    const client = createB24Client({ auth: webhookAuth(portal.adminWebhookUrl), limits: false });
    const api = typedMethods(client);
    const id = await api.crm.deal.add({ TITLE: "typed" });
    expect((await api.crm.deal.get(id)).TITLE).toBe("typed");
    const item = await api.crm.item.get(2, id);
    expect(item).toMatchObject({ id, title: "typed" });
    expect((await api.profile()).ADMIN).toBe(true);
    const task = await api.tasks.task.add({ TITLE: "t", RESPONSIBLE_ID: 1 });
    expect((await api.tasks.task.get(task.id)).title).toBe("t");
  });
});
