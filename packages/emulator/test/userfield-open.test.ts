import { control, installApp, testEmulator, testPortal } from "@b24kit/emulator/testing";
import { afterAll, describe, expect, it } from "vitest";
import { appCall, call } from "./helpers.js";

// The control API's USERFIELD_TYPE request (placements/open) as the deal card builds it
// (portal-ui/userfield-frames.ts), and the CRM "read" rights level it is checked against.
const emu = await testEmulator();
afterAll(() => emu.close());
const api = control(emu);

describe("placements/open USERFIELD_TYPE and read-only CRM rights", async () => {
  const portal = await testPortal(emu);
  const memberId = portal.memberId as string;
  const hook = portal.adminWebhookUrl as string;
  const app = await installApp(emu, memberId, { scopes: ["crm", "placement"] });
  const asApp = (method: string, params: Record<string, unknown>) =>
    appCall(app.auth.client_endpoint, app.auth.access_token, method, params);
  const appId = (await asApp("app.info", {})).body.result.ID as number;
  await asApp("userfieldtype.add", {
    USER_TYPE_ID: "health",
    HANDLER: "http://127.0.0.1:9/health",
    TITLE: "Health",
  });
  await asApp("crm.deal.userfield.add", {
    fields: { FIELD_NAME: "HEALTH", USER_TYPE_ID: `rest_${appId}_health` },
  });
  const deal = (await call(hook, "crm.deal.add", { fields: { TITLE: "Field deal", UF_CRM_HEALTH: "ok" } }))
    .body.result as number;
  const reader = await api.addUser(memberId, { ADMIN: false, crmRights: { "2": "read" } });
  const owner = await api.addUser(memberId, { ADMIN: false, crmRights: { "2": "own" } });
  const open = (userId: number, options: Record<string, unknown>) =>
    api.openPlacement(memberId, { clientId: app.clientId, placement: "USERFIELD_TYPE", userId, options });
  const optionsOf = (fields: Record<string, string>) => JSON.parse(fields.PLACEMENT_OPTIONS!);

  it("opens the type's handler with the card's PLACEMENT_OPTIONS; edit for a user who may change the deal", async () => {
    const opened = await open(1, { FIELD_NAME: "UF_CRM_HEALTH", ENTITY_VALUE_ID: deal, MODE: "edit" });
    expect(opened.url).toMatch(/^http:\/\/127\.0\.0\.1:9\/health/);
    expect(opened.fields.PLACEMENT).toBe("USERFIELD_TYPE");
    expect(optionsOf(opened.fields)).toEqual({
      MODE: "edit",
      ENTITY_ID: "CRM_DEAL",
      FIELD_NAME: "UF_CRM_HEALTH",
      ENTITY_VALUE_ID: String(deal),
      VALUE: "ok",
      MULTIPLE: "N",
      MANDATORY: "N",
      XML_ID: "",
    });
  });

  it("a read-only user reads the deal and gets view mode; changes are refused", async () => {
    const opened = await open(reader.user.ID, {
      FIELD_NAME: "UF_CRM_HEALTH",
      ENTITY_VALUE_ID: deal,
      MODE: "edit",
    });
    expect(optionsOf(opened.fields).MODE).toBe("view");
    expect((await call(reader.webhookUrl, "crm.deal.get", { id: deal })).body.result.TITLE).toBe(
      "Field deal",
    );
    // The legacy API's refusal (as for "own" on another's record), then crm.item's.
    for (const [method, params] of [
      ["crm.deal.update", { id: deal, fields: { TITLE: "x" } }],
      ["crm.deal.delete", { id: deal }],
      ["crm.deal.add", { fields: { TITLE: "x" } }],
    ] as const)
      expect((await call(reader.webhookUrl, method, params)).body.error_description, method).toBe(
        "Access denied.",
      );
    const item = await call(reader.webhookUrl, "crm.item.update", {
      entityTypeId: 2,
      id: deal,
      fields: { title: "x" },
    });
    expect(item.body.error).toBe("ACCESS_DENIED");
    expect((await call(hook, "crm.deal.get", { id: deal })).body.result.TITLE).toBe("Field deal");
  });

  it("refuses a deal the user may not read, a missing field and a missing record", async () => {
    await expect(
      open(owner.user.ID, { FIELD_NAME: "UF_CRM_HEALTH", ENTITY_VALUE_ID: deal, MODE: "view" }),
    ).rejects.toThrow(/403.*do not have access to this deal/);
    await expect(open(1, { FIELD_NAME: "UF_CRM_NOPE", ENTITY_VALUE_ID: deal })).rejects.toThrow(/404/);
    await expect(open(1, { FIELD_NAME: "UF_CRM_HEALTH", ENTITY_VALUE_ID: 99999 })).rejects.toThrow(/404/);
    await expect(open(1, { FIELD_NAME: "UF_CRM_HEALTH" })).rejects.toThrow(/400.*ENTITY_VALUE_ID/);
  });
});
