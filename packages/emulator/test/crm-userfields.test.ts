import type { EmulatorHandle } from "@b24kit/emulator";
import { control, type InstalledApp, installApp, testEmulator } from "@b24kit/emulator/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appCall, call } from "./helpers.js";

// CRM user fields over HTTP (api-reference/crm/deals/user-defined-fields/): an app's
// custom type used by a deal field, values through crm.deal.*, refusals.
let emu: EmulatorHandle;
let app: InstalledApp;
let memberId: string;
let hook: string;
let appId: number;
/** A deal made before any field existed. */
let earlier: number;
const asApp = (method: string, params: Record<string, unknown> = {}) =>
  appCall(app.auth.client_endpoint, app.auth.access_token, method, params);

beforeAll(async () => {
  emu = await testEmulator();
  memberId = emu.portals[0]!.memberId as string;
  hook = emu.portals[0]!.adminWebhookUrl as string;
  app = await installApp(emu, memberId, { scopes: ["crm", "placement"], appUrl: "https://app.example/" });
  appId = (await asApp("app.info")).body.result.ID;
  earlier = (await call(hook, "crm.deal.add", { fields: { TITLE: "Earlier" } })).body.result;
  const added = await asApp("userfieldtype.add", {
    USER_TYPE_ID: "deal_health",
    HANDLER: "https://app.example/health/",
    TITLE: "Deal health",
    OPTIONS: { height: 80 },
  });
  expect(added.body.result).toBe(true);
});
afterAll(() => emu.close());

describe("crm.deal.userfield.*", () => {
  let fieldId: number;

  it("adds a field of the app's own type; the name gets UF_CRM_, get shows the documented record", async () => {
    const added = await asApp("crm.deal.userfield.add", {
      fields: {
        FIELD_NAME: "health",
        USER_TYPE_ID: `rest_${appId}_deal_health`,
        LABEL: "Health",
        XML_ID: "HEALTH",
      },
    });
    expect(added.status).toBe(200);
    fieldId = added.body.result;
    expect(fieldId).toEqual(expect.any(Number));
    const got = (await call(hook, "crm.deal.userfield.get", { id: fieldId })).body.result;
    expect(got).toMatchObject({
      ID: String(fieldId),
      ENTITY_ID: "CRM_DEAL",
      FIELD_NAME: "UF_CRM_HEALTH",
      USER_TYPE_ID: `rest_${appId}_deal_health`,
      XML_ID: "HEALTH",
      SORT: "100",
      MULTIPLE: "N",
      MANDATORY: "N",
      EDIT_IN_LIST: "Y",
      SETTINGS: {},
    });
    expect(got.EDIT_FORM_LABEL.en).toBe("Health");
    expect(got.LIST_COLUMN_LABEL.de).toBe("Health");
  });

  it("lists fields by SORT; labels only with filter.LANG", async () => {
    await call(hook, "crm.deal.userfield.add", {
      fields: { FIELD_NAME: "UF_SCORE", USER_TYPE_ID: "integer", SORT: 50, LABEL: "Score", MULTIPLE: "Y" },
    });
    const plain = await call(hook, "crm.deal.userfield.list", {});
    expect(plain.body.total).toBe(2);
    expect(plain.body.result.map((f: any) => f.FIELD_NAME)).toEqual(["UF_CRM_SCORE", "UF_CRM_HEALTH"]);
    expect(plain.body.result[0].EDIT_FORM_LABEL).toBeUndefined();
    const de = await call(hook, "crm.deal.userfield.list", {
      filter: { MULTIPLE: "Y", LANG: "de" },
      order: { ID: "DESC" },
    });
    expect(de.body.result).toHaveLength(1);
    expect(de.body.result[0]).toMatchObject({ FIELD_NAME: "UF_CRM_SCORE", EDIT_FORM_LABEL: "Score" });
  });

  it("crm.deal.fields and crm.item.fields describe the fields as dynamic", async () => {
    const fields = (await call(hook, "crm.deal.fields")).body.result;
    expect(fields.UF_CRM_HEALTH).toEqual({
      type: `rest_${appId}_deal_health`,
      isRequired: false,
      isReadOnly: false,
      isImmutable: false,
      isMultiple: false,
      isDynamic: true,
      title: "UF_CRM_HEALTH",
      listLabel: "Health",
      formLabel: "Health",
      filterLabel: "Health",
      // An empty PHP array: [] on the wire.
      settings: [],
    });
    const item = (await call(hook, "crm.item.fields", { entityTypeId: 2 })).body.result.fields;
    expect(item.ufCrmHealth).toMatchObject({
      isDynamic: true,
      upperName: "UF_CRM_HEALTH",
      isMultiple: false,
    });
  });

  it("values round-trip through crm.deal.add/get/update/list in their type's form", async () => {
    const id = (
      await call(hook, "crm.deal.add", {
        fields: { TITLE: "UF deal", UF_CRM_HEALTH: "green", UF_CRM_SCORE: [3, "4"] },
      })
    ).body.result;
    const got = (await call(hook, "crm.deal.get", { id })).body.result;
    expect(got).toMatchObject({ UF_CRM_HEALTH: "green", UF_CRM_SCORE: ["3", "4"] });
    await call(hook, "crm.deal.update", { id, fields: { UF_CRM_HEALTH: "amber" } });
    expect((await call(hook, "crm.deal.get", { id })).body.result.UF_CRM_HEALTH).toBe("amber");
    const listed = await call(hook, "crm.deal.list", { filter: { ID: id }, select: ["ID", "UF_CRM_HEALTH"] });
    expect(listed.body.result).toEqual([{ ID: String(id), UF_CRM_HEALTH: "amber" }]);
    const star = await call(hook, "crm.deal.list", { filter: { ID: id }, select: ["ID", "UF_*"] });
    expect(star.body.result[0].UF_CRM_HEALTH).toBe("amber");
    const item = await call(hook, "crm.item.get", { entityTypeId: 2, id });
    expect(item.body.result.item).toMatchObject({ ufCrmHealth: "amber", ufCrmScore: [3, 4] });
    // A deal made before a field existed gets it as an empty column.
    const other = (await call(hook, "crm.deal.get", { id: earlier })).body.result;
    expect(other).toMatchObject({ UF_CRM_HEALTH: null, UF_CRM_SCORE: [] });
  });

  it("update changes labels and flags; delete removes the field and its values", async () => {
    const fresh = await call(hook, "crm.deal.userfield.add", {
      fields: { FIELD_NAME: "TEMP", USER_TYPE_ID: "string", LABEL: "Temp" },
    });
    const id = fresh.body.result;
    const updated = await call(hook, "crm.deal.userfield.update", {
      id,
      fields: { MANDATORY: "Y", EDIT_FORM_LABEL: { en: "Temporary" }, SETTINGS: { ROWS: 3 } },
    });
    expect(updated.body.result).toBe(true);
    const got = (await call(hook, "crm.deal.userfield.get", { id })).body.result;
    expect(got).toMatchObject({ MANDATORY: "Y", SETTINGS: { ROWS: 3, SIZE: 20 } });
    expect(got.EDIT_FORM_LABEL).toMatchObject({ en: "Temporary", de: "" });
    const deal = (await call(hook, "crm.deal.add", { fields: { TITLE: "t", UF_CRM_TEMP: "x" } })).body.result;
    expect((await call(hook, "crm.deal.userfield.delete", { id })).body.result).toBe(true);
    expect((await call(hook, "crm.deal.get", { id: deal })).body.result.UF_CRM_TEMP).toBeUndefined();
    const gone = await call(hook, "crm.deal.userfield.get", { id });
    expect(gone.body).toMatchObject({ error: "ERROR_NOT_FOUND" });
  });

  it("refuses what the pages refuse", async () => {
    const add = (fields: Record<string, unknown>) => call(hook, "crm.deal.userfield.add", { fields });
    expect((await add({ USER_TYPE_ID: "string" })).body).toEqual({
      error: "",
      error_description: "The 'FIELD_NAME' field is not found.",
    });
    expect((await add({ FIELD_NAME: "X1" })).body.error_description).toBe(
      "The 'USER_TYPE_ID' field is not found.",
    );
    const unknown = await add({ FIELD_NAME: "X2", USER_TYPE_ID: "rest_999_nope" });
    expect({ status: unknown.status, ...unknown.body }).toEqual({
      status: 400,
      error: "ERROR_CORE",
      error_description: "Incorrect custom type specified.",
    });
    expect((await add({ FIELD_NAME: "BAD-NAME", USER_TYPE_ID: "string" })).body.error).toBe("ERROR_CORE");
    expect((await add({ FIELD_NAME: "N".repeat(44), USER_TYPE_ID: "string" })).body.error_description).toBe(
      "Field name is too long (more than 50 characters).",
    );
    const bad = await call(hook, "crm.deal.userfield.get", { id: 0 });
    expect(bad.body.error_description).toBe("ID is not defined or invalid.");
    // A lead's field is not a deal's.
    const leadField = (
      await call(hook, "crm.lead.userfield.add", { fields: { FIELD_NAME: "SRC", USER_TYPE_ID: "string" } })
    ).body.result;
    expect((await call(hook, "crm.deal.userfield.get", { id: leadField })).status).toBe(403);
  });

  it("an app may not use another app's type; an admin may", async () => {
    const other = await installApp(emu, memberId, {
      scopes: ["crm", "placement"],
      appUrl: "https://other.example/",
    });
    const refused = await appCall(
      other.auth.client_endpoint,
      other.auth.access_token,
      "crm.deal.userfield.add",
      {
        fields: { FIELD_NAME: "BORROWED", USER_TYPE_ID: `rest_${appId}_deal_health` },
      },
    );
    expect(refused.body).toMatchObject({ error: "ERROR_CORE" });
    const admin = await call(hook, "crm.deal.userfield.add", {
      fields: { FIELD_NAME: "BORROWED", USER_TYPE_ID: `rest_${appId}_deal_health` },
    });
    expect(admin.body.result).toEqual(expect.any(Number));
  });

  it("only administrators change fields; readers of deals list them", async () => {
    const member = await control(emu).addUser(memberId, { NAME: "Member", webhookScopes: ["crm"] });
    const refused = await call(member.webhookUrl, "crm.deal.userfield.add", {
      fields: { FIELD_NAME: "MINE", USER_TYPE_ID: "string" },
    });
    expect({ status: refused.status, ...refused.body }).toEqual({
      status: 403,
      error: "",
      error_description: "Access denied.",
    });
    const listed = await call(member.webhookUrl, "crm.deal.userfield.list", {});
    expect(listed.body.total).toBeGreaterThan(0);
  });

  it("a field stays when its type is deleted; its value keeps round-tripping", async () => {
    await asApp("userfieldtype.add", { USER_TYPE_ID: "short_lived", HANDLER: "https://app.example/short/" });
    const fid = (
      await asApp("crm.deal.userfield.add", {
        fields: { FIELD_NAME: "SHORT", USER_TYPE_ID: `rest_${appId}_short_lived` },
      })
    ).body.result;
    await asApp("userfieldtype.delete", { USER_TYPE_ID: "short_lived" });
    expect((await call(hook, "crm.deal.userfield.get", { id: fid })).body.result.FIELD_NAME).toBe(
      "UF_CRM_SHORT",
    );
    const deal = (await call(hook, "crm.deal.add", { fields: { UF_CRM_SHORT: "kept" } })).body.result;
    expect((await call(hook, "crm.deal.get", { id: deal })).body.result.UF_CRM_SHORT).toBe("kept");
  });
});

describe("user fields on the deal card", () => {
  const html = async (path: string) => (await fetch(`${emu.url}${path}`)).text();
  const post = (path: string, body: string) =>
    fetch(`${emu.url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body,
      redirect: "manual",
    });

  it("renders an app field as USERFIELD_TYPE frames (view on the card, edit in the form), built-in ones as inputs", async () => {
    const id = (await call(hook, "crm.deal.add", { fields: { TITLE: "Card", UF_CRM_HEALTH: "green" } })).body
      .result;
    const page = await html(`crm/deal/details/${id}/`);
    expect(page).toContain('data-uf-mode="view" data-uf-field="UF_CRM_HEALTH"');
    expect(page).toContain('data-uf-mode="edit" data-uf-field="UF_CRM_HEALTH"');
    expect(page).toContain("https://app.example/health/?DOMAIN=");
    expect(page).toContain('name="fields[UF_CRM_SCORE][]"');
    expect(page).toMatch(/<input type="hidden" name="fields\[UF_CRM_HEALTH\]" value="green">/);
    expect(page).toContain("height:80px");
  });

  it("saves user-field values posted with the card's form", async () => {
    const id = (await call(hook, "crm.deal.add", { fields: { TITLE: "Form" } })).body.result;
    const body =
      "fields[TITLE]=Form&fields[UF_CRM_HEALTH]=red&fields[UF_CRM_SCORE][]=&fields[UF_CRM_SCORE][]=7";
    expect((await post(`crm/deal/details/${id}/`, body)).status).toBe(303);
    expect((await call(hook, "crm.deal.get", { id })).body.result).toMatchObject({
      UF_CRM_HEALTH: "red",
      UF_CRM_SCORE: ["7"],
    });
  });

  it("a field with EDIT_IN_LIST=N, or whose type is gone, is not edited through a frame", async () => {
    const list = (await call(hook, "crm.deal.userfield.list", { filter: { FIELD_NAME: "UF_CRM_HEALTH" } }))
      .body;
    await call(hook, "crm.deal.userfield.update", { id: list.result[0].ID, fields: { EDIT_IN_LIST: "N" } });
    const id = (await call(hook, "crm.deal.add", { fields: { TITLE: "Locked", UF_CRM_HEALTH: "blue" } })).body
      .result;
    const page = await html(`crm/deal/details/${id}/`);
    expect(page).not.toContain('data-uf-mode="edit" data-uf-field="UF_CRM_HEALTH"');
    expect(page.match(/data-uf-mode="view" data-uf-field="UF_CRM_HEALTH"/g)).toHaveLength(2);
    await call(hook, "crm.deal.userfield.update", { id: list.result[0].ID, fields: { EDIT_IN_LIST: "Y" } });
    // UF_CRM_SHORT's type was deleted above: its value shows as text.
    expect(page).not.toContain('data-uf-field="UF_CRM_SHORT"');
  });
});
