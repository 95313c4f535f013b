import {
  control,
  handlerServer,
  installApp,
  openPlacement,
  testEmulator,
  testPortal,
} from "@b24kit/emulator/testing";
import { afterAll, beforeAll, expect, it } from "vitest";

const emu = await testEmulator();
const handler = await handlerServer();
afterAll(async () => {
  await handler.close();
  await emu.close();
});

let portal: Awaited<ReturnType<typeof testPortal>>;
let app: Awaited<ReturnType<typeof installApp>>;
beforeAll(async () => {
  portal = await testPortal(emu, { plan: "professional" });
  app = await installApp(emu, portal.memberId, { scopes: ["crm", "placement"] });
});

/** A REST call with the app's token, as the app itself would make it. */
async function appCall(method: string, params: Record<string, unknown>) {
  const res = await fetch(`${app.auth.client_endpoint}${method}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ ...params, auth: app.auth.access_token }),
  });
  return res.json();
}

it("delivers ONCRMDEALADD to the app's handler, signed with its application_token", async () => {
  await appCall("event.bind", { event: "ONCRMDEALADD", handler: handler.url });
  const added = await appCall("crm.deal.add", { fields: { TITLE: "From a test" } });
  const [event] = await handler.waitFor((r) => r.body.event === "ONCRMDEALADD");
  expect(event!.body.data.FIELDS.ID).toBe(String(added.result));
  expect(event!.body.auth.application_token).toBe(app.applicationToken);
});

it("opens a deal tab as a non-admin user would", async () => {
  await appCall("placement.bind", {
    PLACEMENT: "CRM_DEAL_DETAIL_TAB",
    HANDLER: handler.url,
    TITLE: "Insights",
  });
  const { user: manager } = await control(emu).addUser(portal.memberId, { NAME: "Mia", ADMIN: false });
  const { request, response } = await openPlacement(emu, portal.memberId, {
    clientId: app.clientId,
    placement: "CRM_DEAL_DETAIL_TAB",
    options: { ID: 7 },
    userId: manager.ID,
  });
  expect(response.status).toBe(200);
  expect(JSON.parse(request.fields.PLACEMENT_OPTIONS!)).toEqual({ ID: "7", URI: "/crm/deal/details/7/" });
  const [opened] = await handler.waitFor((r) => r.body.PLACEMENT === "CRM_DEAL_DETAIL_TAB");
  expect(opened!.body.AUTH_ID).toBe(request.fields.AUTH_ID);
  // The frame's token is Mia's: the portal answers as her.
  const res = await fetch(`${app.auth.client_endpoint}profile`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ auth: request.fields.AUTH_ID }),
  });
  expect((await res.json()).result.ID).toBe(String(manager.ID));
});
