import { control, testEmulator, testPortal } from "@b24kit/emulator/testing";
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
