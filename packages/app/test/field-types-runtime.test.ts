import type { FieldTypeField } from "@b24kit/app";
import { type FieldTypeRequestField, fieldTypeRequest, type Tamper } from "@b24kit/app/testing";
import { control, testEmulator, testPortal, userToken, waitFor } from "@b24kit/emulator/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startApp } from "./app-harness.js";

// Custom field types through the runtime (api-reference/widgets/user-field/): the manifest
// registers each type with its own frame URL, install and re-apply reconcile them, and the
// portal's USERFIELD_TYPE POST renders `view` or `edit` with the field read from PLACEMENT_OPTIONS.
const emu = await testEmulator();
let h: Harness;
let memberId: string;
const seen: FieldTypeField[] = [];

const MANIFEST = {
  version: "1",
  scopes: ["crm", "placement"],
  fieldTypes: [{ code: "deal_health", title: "Deal health", description: "Green, amber or red", height: 80 }],
};

interface ListedType {
  USER_TYPE_ID: string;
  HANDLER: string;
  TITLE: string;
  DESCRIPTION: string;
}
const listTypes = async () =>
  (await h.app.forPortal(memberId).call<ListedType[]>("userfieldtype.list")).result;

/** What the portal POSTs into a field's frame for `userId` (the testing kit's fieldTypeRequest). */
async function openField(
  field: FieldTypeRequestField,
  extra: { fields?: Record<string, string>; tamper?: Tamper; accessToken?: string } = {},
) {
  const auth = await userToken(emu, memberId, h.clientId, 1);
  return fetch(
    fieldTypeRequest({
      appUrl: h.publicUrl,
      memberId,
      domain: auth.domain,
      protocol: auth.client_endpoint.startsWith("https") ? "https" : "http",
      accessToken: auth.access_token,
      refreshToken: auth.refresh_token,
      applicationToken: auth.application_token,
      code: "deal_health",
      field,
      ...extra,
    }),
  );
}

beforeAll(async () => {
  memberId = (await testPortal(emu, { plan: "professional" })).memberId;
  h = await startApp(emu, {
    registration: (url) => ({ installHandlerUrl: `${url}b24/install` }),
    manifest: MANIFEST,
    handlers: {
      fieldTypes: {
        deal_health: {
          view: (ctx) => {
            seen.push(ctx.field);
            return `<p id="view">${String(ctx.field.value ?? "none")}</p>`;
          },
          edit: (ctx) => {
            seen.push(ctx.field);
            return `<p id="edit">${ctx.field.fieldName}</p>`;
          },
        },
      },
    },
  });
  await control(emu).install(memberId, h.clientId);
  await waitFor(async () => (await h.app.tenants.get(memberId))?.state === "active");
});
afterAll(async () => {
  await h.close();
  await emu.close();
});

describe("field types", () => {
  it("install registers each manifest type with its own frame URL, title, description and height", async () => {
    expect(await listTypes()).toEqual([
      {
        USER_TYPE_ID: "deal_health",
        HANDLER: `${h.publicUrl}b24/field-types/deal_health`,
        TITLE: "Deal health",
        DESCRIPTION: "Green, amber or red",
      },
    ]);
  });

  it("renders view or edit from MODE, with the field read from PLACEMENT_OPTIONS", async () => {
    const common = {
      entityId: "CRM_DEAL",
      fieldName: "UF_CRM_HEALTH",
      entityValueId: 7,
      mandatory: true,
    };
    const view = await openField({ ...common, mode: "view", value: "green" });
    expect(view.status, await view.clone().text()).toBe(200);
    expect(await view.text()).toContain('<p id="view">green</p>');
    const edit = await openField({ ...common, mode: "edit" });
    const html = await edit.text();
    expect(html).toContain('<p id="edit">UF_CRM_HEALTH</p>');
    // The edit frame's script can hand the value back to the card.
    expect(html).toContain("setFieldValue");
    expect(seen.at(-1)).toEqual({
      mode: "edit",
      entityId: "CRM_DEAL",
      fieldName: "UF_CRM_HEALTH",
      entityValueId: "7",
      value: null,
      multiple: false,
      mandatory: true,
      xmlId: null,
    });
  });

  it("refuses a request for another placement at a field type's URL", async () => {
    const res = await openField({}, { fields: { PLACEMENT: "CRM_DEAL_DETAIL_TAB" } });
    expect(res.status).toBe(400);
  });

  it("refuses a forged token, a foreign domain, an oversized body and a deep form, rendering nothing", async () => {
    const before = seen.length;
    const forged = await openField({ mode: "edit" }, { accessToken: "not-a-token-the-portal-issued" });
    expect(forged.status).toBeGreaterThanOrEqual(400);
    const foreign = await openField({ mode: "edit" }, { tamper: "foreign-domain" });
    expect(foreign.status).toBeGreaterThanOrEqual(400);
    const huge = await openField({ mode: "edit" }, { tamper: { oversizedBody: 2 * 1024 * 1024 } });
    expect(huge.status).toBe(413);
    const deep = await openField({ mode: "edit" }, { tamper: "malformed-nesting" });
    expect(deep.status).toBeGreaterThanOrEqual(400);
    for (const res of [forged, foreign, huge, deep]) expect(await res.text()).not.toContain('<p id="edit">');
    expect(seen.length).toBe(before);
  });

  it("re-applying updates a changed type and deletes the ones the manifest dropped", async () => {
    const client = h.app.forPortal(memberId);
    const { applyManifest, handlerUrls, parseManifest } = await import("@b24kit/app");
    const urls = handlerUrls(h.publicUrl);
    const renamed = parseManifest({
      ...MANIFEST,
      version: "2",
      fieldTypes: [{ code: "deal_health", title: "Health" }],
    });
    const updated = await applyManifest(client, renamed, urls);
    expect(updated.kept).toContain("field type deal_health");
    expect((await listTypes()).map((t) => t.TITLE)).toEqual(["Health"]);
    const other = await applyManifest(
      client,
      parseManifest({ ...MANIFEST, version: "3", fieldTypes: [{ code: "risk", title: "Risk" }] }),
      urls,
    );
    expect(other.unbound).toEqual(["field type deal_health"]);
    expect(other.bound).toEqual(["field type risk"]);
    expect((await listTypes()).map((t) => t.USER_TYPE_ID)).toEqual(["risk"]);
    const none = await applyManifest(
      client,
      parseManifest({ ...MANIFEST, version: "4", fieldTypes: [] }),
      urls,
    );
    expect(none.unbound).toEqual(["field type risk"]);
    expect(await listTypes()).toEqual([]);
  });

  it("refuses a manifest whose field types lack the placement scope or have a code the portal refuses", async () => {
    const { parseManifest } = await import("@b24kit/app");
    expect(() => parseManifest({ ...MANIFEST, scopes: ["crm"] })).toThrow(
      "field types need the placement scope in scopes",
    );
    expect(() => parseManifest({ ...MANIFEST, fieldTypes: [{ code: "Deal-Health", title: "x" }] })).toThrow(
      "fieldTypes.0.code: a field type code is a-z, 0-9 and _",
    );
  });
});
