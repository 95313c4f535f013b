import { control, testEmulator, testPortal, waitFor } from "@b24kit/emulator/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startApp } from "./app-harness.js";

// The event ingress refuses what it cannot trust or should not read, and
// stores nothing for it (docs/protocol.md §7.5): a forged application_token,
// a body too large, a form with too many keys.
const emu = await testEmulator();
let h: Harness;
let memberId: string;
let applicationToken: string;
const ran: string[] = [];

beforeAll(async () => {
  const portal = await testPortal(emu);
  memberId = portal.memberId;
  h = await startApp(emu, {
    registration: (url) => ({ installHandlerUrl: `${url}b24/install` }),
    manifest: { version: "1", scopes: ["crm"], events: [{ event: "ONCRMDEALADD" }] },
    queue: true,
    handlers: { events: { ONCRMDEALADD: (ctx) => void ran.push(ctx.data.FIELDS.ID) } },
  });
  await control(emu).install(memberId, h.clientId);
  await waitFor(async () => (await h.app.tenants.get(memberId))?.state === "active");
  applicationToken = (
    await control(emu).request<{ applicationToken: string }>("GET", `portals/${memberId}/apps/${h.clientId}`)
  ).applicationToken;
});
afterAll(async () => {
  await h.close();
  await emu.close();
});

const eventBody = (token: string, dealId: string) =>
  new URLSearchParams({
    event: "ONCRMDEALADD",
    "data[FIELDS][ID]": dealId,
    ts: String(Math.floor(Date.now() / 1000)),
    "auth[member_id]": memberId,
    "auth[application_token]": token,
    "auth[domain]": "portal.example",
  }).toString();

const post = (body: string) =>
  fetch(`${h.publicUrl}b24/events`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body,
  });

async function queuedJobs(): Promise<number> {
  const stats = await h.app.queue?.stats();
  return (stats?.waiting ?? 0) + (stats?.running ?? 0);
}

describe("event ingress", () => {
  it("queues a genuine event and runs its handler", async () => {
    const response = await post(eventBody(applicationToken, "501"));
    expect(response.status).toBe(200);
    await waitFor(() => ran.includes("501"));
  });

  it("refuses a forged application_token with 401, logs it, queues nothing", async () => {
    const forged = applicationToken.replace(/.$/, (c) => (c === "a" ? "b" : "a"));
    const response = await post(eventBody(forged, "502"));
    expect(response.status).toBe(401);
    expect(await queuedJobs()).toBe(0);
    await h.app.audit.flush();
    const security = await h.store.tenant(memberId).audit.query({ kinds: ["security"] });
    expect(security.some((e) => e.action.includes("b24/events"))).toBe(true);
    const metrics = await (await h.app.request("/metrics")).text();
    expect(metrics).toContain('b24kit_events_rejected_total{reason="APPLICATION_TOKEN_MISMATCH"} 1');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(ran).not.toContain("502");
  });

  it("refuses a 10 MB body with 413 and stores nothing", async () => {
    await h.app.audit.flush();
    const auditBefore = (await h.store.tenant(memberId).audit.query()).length;
    const huge = `${eventBody(applicationToken, "503")}&data[FIELDS][TITLE]=${"x".repeat(10 * 1024 * 1024)}`;
    const response = await post(huge);
    expect(response.status).toBe(413);
    expect(await queuedJobs()).toBe(0);
    await h.app.audit.flush();
    // The body was refused before it was read: not even the member_id in it was seen.
    expect((await h.store.tenant(memberId).audit.query()).length).toBe(auditBefore);
  });

  it("a key nested too deep stays a literal key, and __proto__ in a key pollutes nothing", async () => {
    const deep = `data[FIELDS]${"[x]".repeat(30)}=deep`;
    const response = await post(`${eventBody(applicationToken, "505")}&${deep}&data[__proto__][polluted]=1`);
    expect(response.status).toBe(200);
    await waitFor(() => ran.includes("505"));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("refuses a form of 10,000 keys with 400 and stores nothing", async () => {
    const keys = Array.from({ length: 10_000 }, (_, i) => `data[FIELDS][K${i}]=1`).join("&");
    const response = await post(`${eventBody(applicationToken, "504")}&${keys}`);
    expect(response.status).toBe(400);
    expect(await queuedJobs()).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(ran).not.toContain("504");
  });
});
