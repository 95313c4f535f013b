import { control, installApp, testEmulator, testPortal, userToken } from "@b24kit/emulator/testing";
import { afterAll, describe, expect, it } from "vitest";

const emu = await testEmulator();
afterAll(() => emu.close());
const api = control(emu);

async function whoAmI(endpoint: string, token: string): Promise<{ status: number; id?: string }> {
  const res = await fetch(`${endpoint}profile`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ auth: token }),
  });
  const body = (await res.json()) as { result?: { ID: string } };
  return { status: res.status, ...(body.result ? { id: body.result.ID } : {}) };
}

describe("control API: tokens of an installed app for a user", () => {
  it("hands out a fresh pair acting as that user, without re-installing", async () => {
    const portal = await testPortal(emu);
    const app = await installApp(emu, portal.memberId, { scopes: ["user"] });
    const { user } = await api.addUser(portal.memberId, { NAME: "Ann", ADMIN: false });
    const before = await api.installation(portal.memberId, app.clientId);
    const auth = await userToken(emu, portal.memberId, app.clientId, user.ID);
    expect(auth).toMatchObject({ member_id: portal.memberId, user_id: user.ID, expires_in: 3600 });
    expect(auth.access_token).not.toBe(app.auth.access_token);
    expect(await whoAmI(auth.client_endpoint, auth.access_token)).toEqual({
      status: 200,
      id: String(user.ID),
    });
    // Nothing was re-installed: the application token stays.
    expect((await api.installation(portal.memberId, app.clientId)).applicationToken).toBe(
      before.applicationToken,
    );
    // The admin by default.
    expect((await api.tokens(portal.memberId, app.clientId)).user_id).toBe(1);
  });

  it("refuses an app that is not installed and a user who does not exist", async () => {
    const portal = await testPortal(emu);
    await expect(api.tokens(portal.memberId, "no-such-app")).rejects.toThrow(/404.*not installed/);
    const app = await installApp(emu, portal.memberId, { scopes: ["user"] });
    await expect(api.tokens(portal.memberId, app.clientId, 999)).rejects.toThrow(/400.*No active user 999/);
  });
});

describe("control API: the request a placement's handler gets", () => {
  it("is the portal's form for that user, with only the placement's options and the page it was opened from", async () => {
    const portal = await testPortal(emu);
    const app = await installApp(emu, portal.memberId, { scopes: ["crm", "placement"] });
    await fetch(`${app.auth.client_endpoint}placement.bind`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        auth: app.auth.access_token,
        PLACEMENT: "CRM_CONTACT_DETAIL_TAB",
        HANDLER: "http://127.0.0.1:9/contact-tab",
        TITLE: "Insights",
      }),
    });
    const opened = await api.openPlacement(portal.memberId, {
      clientId: app.clientId,
      placement: "crm_contact_detail_tab",
      options: { ID: 12, EXTRA: "dropped" },
    });
    expect(opened).toMatchObject({ method: "POST", title: "Insights" });
    expect(opened.url).toMatch(
      /^http:\/\/127\.0\.0\.1:9\/contact-tab\?DOMAIN=.+&PROTOCOL=1&LANG=en&APP_SID=\w+$/,
    );
    expect(opened.fields).toMatchObject({
      member_id: portal.memberId,
      PLACEMENT: "CRM_CONTACT_DETAIL_TAB",
      PLACEMENT_OPTIONS: '{"ID":"12","URI":"\\/crm\\/contact\\/details\\/12\\/"}',
      status: "L",
    });
    expect(await whoAmI(portal.clientEndpoint, opened.fields.AUTH_ID!)).toEqual({
      status: 200,
      id: "1",
    });
  });

  it("says why it cannot open one: no such binding, or a user without access", async () => {
    const portal = await testPortal(emu);
    const app = await installApp(emu, portal.memberId, { scopes: ["crm", "placement"] });
    await expect(
      api.openPlacement(portal.memberId, { clientId: app.clientId, placement: "CRM_DEAL_DETAIL_TAB" }),
    ).rejects.toThrow(/404.*no CRM_DEAL_DETAIL_TAB placement/);
    const { user: bot } = await api.addUser(portal.memberId, { NAME: "Bot", IS_BOT: true });
    await expect(
      api.openPlacement(portal.memberId, {
        clientId: app.clientId,
        placement: "CRM_DEAL_DETAIL_TAB",
        userId: bot.ID,
      }),
    ).rejects.toThrow(/403/);
  });
});
