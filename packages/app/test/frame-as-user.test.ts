import { control, openApp, openPlacement, testEmulator, testPortal, waitFor } from "@b24kit/emulator/testing";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type Harness, startApp } from "./app-harness.js";

// ctx.asUser calls the portal with the token the frame brought, so the portal applies the opening
// user's rights; ctx.b24 keeps the installing admin's (packages/app/README.md, Handlers).
const emu = await testEmulator();
let h: Harness;
let memberId: string;
let webhook: string;
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
      placements: {
        CRM_DEAL_DETAIL_TAB: async (ctx) => {
          const id = ctx.options.ID;
          const asApp = await ctx.b24.call<{ TITLE: string }>("crm.deal.get", { id });
          const asUser = await ctx.asUser
            .call<{ TITLE: string }>("crm.deal.get", { id })
            .then((r) => `read: ${r.result.TITLE}`)
            .catch((error: { description?: string }) => `refused: ${error.description}`);
          return `<p id="app">${asApp.result.TITLE}</p><p id="user">${asUser}</p>`;
        },
      },
    },
  });
  await control(emu).install(memberId, h.clientId);
  await openApp(emu, memberId, { clientId: h.clientId });
  await control(emu).finishInstall(memberId, h.clientId);
  await waitFor(async () => (await h.app.tenants.get(memberId))?.state === "active");
});

it("reads with the opening user's own rights through ctx.asUser, with the app's through ctx.b24", async () => {
  const added = await fetch(`${webhook}crm.deal.add.json`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ fields: { TITLE: "Board deal" } }),
  });
  const dealId = ((await added.json()) as { result: number }).result;
  // A colleague whose CRM role allows only their own deals (entity type 2 = deals).
  const { user } = await control(emu).request<{ user: { ID: number } }>("POST", `portals/${memberId}/users`, {
    NAME: "Olga",
    crmRights: { "2": "own" },
  });

  const asAdmin = await openPlacement(emu, memberId, {
    clientId: h.clientId,
    placement: "CRM_DEAL_DETAIL_TAB",
    options: { ID: dealId },
  });
  const adminPage = await asAdmin.response.text();
  expect(adminPage).toContain('<p id="user">read: Board deal</p>');

  const asOlga = await openPlacement(emu, memberId, {
    clientId: h.clientId,
    placement: "CRM_DEAL_DETAIL_TAB",
    options: { ID: dealId },
    userId: user.ID,
  });
  const olgaPage = await asOlga.response.text();
  expect(olgaPage).toContain('<p id="app">Board deal</p>');
  expect(olgaPage).toContain('<p id="user">refused: Access denied.</p>');
  // The frame's token is used, never echoed into the page.
  expect(olgaPage).not.toContain(asOlga.request.fields.AUTH_ID ?? "no token");
});
