import { control, openApp, openPlacement, testEmulator, testPortal, waitFor } from "@b24kit/emulator/testing";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type Harness, startApp } from "./app-harness.js";

// b24kit.api() sends the user's AUTH_ID with the frame session: ctx.asUser acts with the pressing
// user's rights once the runtime has checked the token is theirs (packages/app/README.md, Handlers).
const emu = await testEmulator();
let h: Harness;
let memberId: string;
let webhook: string;
let dealId: number;
let handlerRuns = 0;
afterAll(async () => {
  await h.close();
  await emu.close();
});

beforeAll(async () => {
  const portal = await testPortal(emu);
  memberId = portal.memberId;
  webhook = portal.adminWebhookUrl;
  h = await startApp(emu, {
    registration: (url) => ({ appUrl: url, installUrl: url }),
    handlers: {
      placements: { CRM_DEAL_DETAIL_TAB: async () => "<p>tab</p>" },
      api: {
        // Renames the deal as the user who pressed the button; the portal applies their role.
        rename: async (ctx) => {
          handlerRuns++;
          const { title } = ctx.body as { title: string };
          const me = await ctx.asUser.call<{ ID: string }>("profile");
          const saved = await ctx.asUser
            .call("crm.deal.update", { id: dealId, fields: { TITLE: title } })
            .then(() => "saved")
            .catch((error: { code?: string; description?: string }) => `refused: ${error.description}`);
          return { userId: Number(me.result.ID), sessionUserId: ctx.userId, saved };
        },
      },
    },
  });
  await control(emu).install(memberId, h.clientId);
  await openApp(emu, memberId, { clientId: h.clientId });
  await control(emu).finishInstall(memberId, h.clientId);
  await waitFor(async () => (await h.app.tenants.get(memberId))?.state === "active");
  const added = await fetch(`${webhook}crm.deal.add.json`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ fields: { TITLE: "Board deal" } }),
  });
  dealId = ((await added.json()) as { result: number }).result;
});

/** Opens the deal tab as `userId`: the frame's session and the AUTH_ID the portal gave the frame. */
async function openTab(userId?: number) {
  const opened = await openPlacement(emu, memberId, {
    clientId: h.clientId,
    placement: "CRM_DEAL_DETAIL_TAB",
    options: { ID: dealId },
    ...(userId ? { userId } : {}),
  });
  const session = /"session":"([^"]+)"/.exec(await opened.response.text())?.[1] ?? "";
  expect(session).not.toBe("");
  return { session, authId: opened.request.fields.AUTH_ID ?? "" };
}

function callApi(session: string, authId: string | undefined, body: unknown) {
  return fetch(`${h.publicUrl}b24/api/rename`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      authorization: `Bearer ${session}`,
      ...(authId === undefined ? {} : { "x-b24kit-user-auth": authId }),
    },
    body: JSON.stringify(body),
  });
}

async function dealTitle(): Promise<string> {
  const res = await fetch(`${webhook}crm.deal.get.json?id=${dealId}`);
  return ((await res.json()) as { result: { TITLE: string } }).result.TITLE;
}

it("acts as the pressing user: an admin's rename is saved, a read-only role's is refused by the portal", async () => {
  const admin = await openTab();
  const asAdmin = await callApi(admin.session, admin.authId, { title: "Renamed by the admin" });
  expect(asAdmin.status).toBe(200);
  expect(await asAdmin.json()).toEqual({ result: { userId: 1, sessionUserId: 1, saved: "saved" } });
  expect(await dealTitle()).toBe("Renamed by the admin");

  // A colleague who may read every deal but change none (entity type 2 = deals).
  const { user } = await control(emu).request<{ user: { ID: number } }>("POST", `portals/${memberId}/users`, {
    NAME: "Olga",
    crmRights: { "2": "read" },
  });
  const olga = await openTab(user.ID);
  const asOlga = await callApi(olga.session, olga.authId, { title: "Renamed by Olga" });
  expect(asOlga.status).toBe(200);
  const answer = (await asOlga.json()) as {
    result: { userId: number; sessionUserId: number; saved: string };
  };
  expect(answer.result.userId).toBe(user.ID);
  expect(answer.result.sessionUserId).toBe(user.ID);
  expect(answer.result.saved).toMatch(/^refused: /);
  expect(await dealTitle()).toBe("Renamed by the admin");
});

it("refuses an AUTH_ID of another user, and one the portal does not know, before the handler runs", async () => {
  const { user } = await control(emu).request<{ user: { ID: number } }>("POST", `portals/${memberId}/users`, {
    NAME: "Ivan",
  });
  const ivan = await openTab(user.ID);
  const admin = await openTab();
  const before = handlerRuns;

  // Ivan's session with the admin's token: acting as the admin while the session says Ivan is refused.
  const swapped = await callApi(ivan.session, admin.authId, { title: "Swapped" });
  expect(swapped.status).toBe(401);
  expect(await swapped.text()).toContain("USER_AUTH_MISMATCH");

  const forged = await callApi(ivan.session, "0123456789abcdef0123456789abcdef", { title: "Forged" });
  expect(forged.status).toBe(401);
  expect(await forged.text()).not.toContain("0123456789abcdef0123456789abcdef");

  expect(handlerRuns).toBe(before);
  expect(await dealTitle()).not.toMatch(/Swapped|Forged/);
});

it("without an AUTH_ID the handler still runs as the app, and ctx.asUser says why it cannot act", async () => {
  const admin = await openTab();
  const before = handlerRuns;
  const res = await callApi(admin.session, undefined, { title: "No token" });
  expect(handlerRuns).toBe(before + 1);
  expect(res.status).toBe(401);
  expect(await res.text()).toContain("USER_AUTH_MISSING");
  expect(await dealTitle()).not.toBe("No token");
});

it("refuses an oversized or malformed body before it asks the portal about the AUTH_ID", async () => {
  const admin = await openTab();
  const stats = `${emu.controlUrl}portals/${memberId}/stats`;
  await fetch(stats, { method: "DELETE" });
  const before = handlerRuns;
  const send = (body: string, host?: string) =>
    fetch(`${h.publicUrl}b24/api/rename`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        authorization: `Bearer ${admin.session}`,
        "x-b24kit-user-auth": "0123456789abcdef0123456789abcdef",
        ...(host ? { "x-forwarded-host": host, origin: `https://${host}` } : {}),
      },
      body,
    });
  expect((await send(JSON.stringify({ title: "x".repeat(2 * 1024 * 1024) }))).status).toBe(413);
  expect((await send("{not json")).status).toBe(400);
  const { requests } = (await (await fetch(stats)).json()) as { requests: { total: number } };
  expect(requests.total).toBe(0);
  // 100,000 levels of nesting parse (JSON.parse does not recurse on the stack); the forged AUTH_ID is refused.
  expect((await send("[".repeat(100_000) + "]".repeat(100_000))).status).toBe(401);
  // A foreign origin changes nothing: the session and the AUTH_ID decide, and this AUTH_ID is forged.
  expect((await send(JSON.stringify({ title: "Foreign" }), "evil.example")).status).toBe(401);
  expect(handlerRuns).toBe(before);
  expect(await dealTitle()).not.toBe("Foreign");
});
