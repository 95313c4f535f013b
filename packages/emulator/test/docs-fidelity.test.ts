import { control, installApp, testEmulator, testPortal } from "@b24kit/emulator/testing";
import { afterAll, describe, expect, it } from "vitest";
import { call } from "./helpers.js";

// Behaviour checked against the official documentation (bitrix24/b24restdocs); each test names its page.
const emu = await testEmulator();
afterAll(() => emu.close());

describe("crm list filters (api-reference/crm/deals/crm-deal-list.md)", () => {
  it("=% and %= take the % in the value: 'mol%' starts, '%mol' ends, '%mol%' contains; % wraps it", async () => {
    const portal = await testPortal(emu);
    const hook = portal.adminWebhookUrl;
    for (const TITLE of ["molding", "pistol mol", "amolb", "other"])
      await call(hook, "crm.deal.add", { fields: { TITLE } });
    const titles = async (filter: Record<string, string>) =>
      (
        (await call(hook, "crm.deal.list", { filter, select: ["TITLE"] })).body.result as Array<{
          TITLE: string;
        }>
      )
        .map((d) => d.TITLE)
        .sort();
    expect(await titles({ "=%TITLE": "mol%" })).toEqual(["molding"]);
    expect(await titles({ "=%TITLE": "%mol" })).toEqual(["pistol mol"]);
    expect(await titles({ "%=TITLE": "%mol%" })).toEqual(["amolb", "molding", "pistol mol"]);
    // The documentation's own example: `"=%TITLE": "%a"` — titles ending in "a", not starting with it.
    await call(hook, "crm.deal.add", { fields: { TITLE: "Alpha" } });
    expect(await titles({ "=%TITLE": "%a" })).toEqual(["Alpha"]);
    expect(await titles({ "%TITLE": "mol" })).toEqual(["amolb", "molding", "pistol mol"]);
    expect(await titles({ "!%TITLE": "mol" })).toEqual(["Alpha", "other"]);
    // crm.item.list reads them the same way (api-reference/crm/universal/crm-item-list.md).
    const items = await call(hook, "crm.item.list", { entityTypeId: 2, filter: { "=%title": "%mol" } });
    expect(items.body.result.items.map((i: { title: string }) => i.title)).toEqual(["pistol mol"]);
    expect(await control(emu).stats(portal.memberId)).toMatchObject({ errors: {} });
  });
});

describe("OAuth token as a Bearer header (api-reference/tasks/flow/tasks-flow-flow-create.md examples)", () => {
  it("accepts Authorization: Bearer <access_token> in place of the auth parameter", async () => {
    const portal = await testPortal(emu);
    const app = await installApp(emu, portal.memberId, { scopes: ["user"] });
    const res = await fetch(`${app.auth.client_endpoint}profile`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${app.auth.access_token}` },
      body: "{}",
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { result: { ID: string } }).result.ID).toBe("1");
    const wrong = await fetch(`${app.auth.client_endpoint}profile`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: "Bearer not-a-token" },
      body: "{}",
    });
    expect(wrong.status).toBe(401);
  });
});
