import type { EmulatorHandle } from "@b24kit/emulator";
import { control, testEmulator } from "@b24kit/emulator/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedCrm } from "../src/seed/crm-seed.js";
import { Portal } from "../src/state/portal.js";
import { call } from "./helpers.js";

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00$/;

let emu: EmulatorHandle;

beforeAll(async () => {
  emu = await testEmulator();
});
afterAll(async () => {
  await emu?.close();
});

/** A fresh portal (own tables, own id sequences) without the request-rate limit getting in the way. */
async function newPortal(): Promise<{ memberId: string; base: string }> {
  const created = await control(emu).send("POST", "portals", {});
  expect(created.status).toBe(201);
  const memberId = created.body.memberId as string;
  await control(emu).send("PATCH", `portals/${memberId}`, {
    bucket: { burst: 100_000, drainPerSecond: 10_000 },
  });
  return { memberId, base: created.body.adminWebhookUrl as string };
}

async function ok(base: string, method: string, params: Record<string, unknown> = {}): Promise<any> {
  const reply = await call(base, method, params);
  expect(reply.status, `${method} ${JSON.stringify(reply.body)}`).toBe(200);
  return reply.body;
}

describe("legacy crm.deal.* envelopes", () => {
  let base: string;
  beforeAll(async () => {
    ({ base } = await newPortal());
  });

  it("add returns the new id as a number; get renders every scalar as a string", async () => {
    const added = await ok(base, "crm.deal.add", {
      fields: {
        TITLE: "Big deal",
        OPPORTUNITY: 1000,
        CURRENCY_ID: "EUR",
        STAGE_ID: "PREPARATION",
        UF_CRM_17: "x",
      },
    });
    expect(typeof added.result).toBe("number");
    expect(added.total).toBeUndefined();

    const got = await ok(base, "crm.deal.get", { id: added.result });
    const deal = got.result;
    expect(deal).toMatchObject({
      ID: String(added.result),
      TITLE: "Big deal",
      OPPORTUNITY: "1000.00",
      CURRENCY_ID: "EUR",
      STAGE_ID: "PREPARATION",
      CATEGORY_ID: "0",
      ASSIGNED_BY_ID: "1",
      CREATED_BY_ID: "1",
      MODIFY_BY_ID: "1",
      OPENED: "Y",
      CLOSED: "N",
      UF_CRM_17: "x",
      COMMENTS: null,
    });
    expect(deal.DATE_CREATE).toMatch(ISO);
    expect(deal.DATE_MODIFY).toBe(deal.DATE_CREATE);
    expect(Object.keys(deal)[0]).toBe("ID");
    for (const v of Object.values(deal)) expect(v === null || typeof v === "string").toBe(true);
    expect(got.time).toBeDefined();
  });

  it("reads parameters case-insensitively and accepts form-encoded PHP-style fields", async () => {
    const upper = await ok(base, "crm.deal.add", { FIELDS: { TITLE: "Upper" } });
    expect((await ok(base, "crm.deal.get", { ID: upper.result })).result.TITLE).toBe("Upper");

    const res = await fetch(`${base}crm.deal.add`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "fields[TITLE]=Form%20deal&fields[OPPORTUNITY]=250.5&fields[ASSIGNED_BY_ID]=1",
    });
    const id = (await res.json()).result;
    expect(typeof id).toBe("number");
    const deal = (await ok(base, "crm.deal.get", { id: String(id) })).result;
    expect(deal).toMatchObject({ TITLE: "Form deal", OPPORTUNITY: "250.50", ASSIGNED_BY_ID: "1" });
  });

  it("gives an untitled deal the portal's default title", async () => {
    const added = await ok(base, "crm.deal.add", { fields: { OPPORTUNITY: 5 } });
    expect((await ok(base, "crm.deal.get", { id: added.result })).result.TITLE).toBe(`Deal #${added.result}`);
  });

  it("dates come from the emulator clock, not the wall clock", async () => {
    const clock = await control(emu).send("POST", "clock", { freeze: true, advanceSeconds: 3 * 86_400 });
    try {
      const expected = new Date(Math.floor(clock.body.now) * 1000).toISOString().replace(".000Z", "+00:00");
      const added = await ok(base, "crm.deal.add", { fields: { TITLE: "Future" } });
      const deal = (await ok(base, "crm.deal.get", { id: added.result })).result;
      expect(deal.DATE_CREATE).toBe(expected);
      expect(deal.BEGINDATE).toBe(`${expected.slice(0, 10)}T00:00:00+00:00`);
    } finally {
      await control(emu).send("POST", "clock", { freeze: false });
    }
  });

  it("update returns true and moves DATE_MODIFY/MODIFY_BY_ID; a won stage closes the deal", async () => {
    const added = await ok(base, "crm.deal.add", { fields: { TITLE: "To win" } });
    const updated = await ok(base, "crm.deal.update", {
      id: added.result,
      fields: { STAGE_ID: "WON", TITLE: "Won" },
    });
    expect(updated.result).toBe(true);
    const deal = (await ok(base, "crm.deal.get", { id: added.result })).result;
    expect(deal).toMatchObject({ TITLE: "Won", STAGE_ID: "WON", CLOSED: "Y", STAGE_SEMANTIC_ID: "S" });
  });

  it("delete returns true; the record is gone afterwards", async () => {
    const added = await ok(base, "crm.deal.add", { fields: { TITLE: "Doomed" } });
    expect((await ok(base, "crm.deal.delete", { id: added.result })).result).toBe(true);
    const after = await call(base, "crm.deal.get", { id: added.result });
    expect(after.status).toBe(400);
    expect(after.body).toEqual({ error: "", error_description: "Not found" });
  });

  it("answers bad input with the legacy empty-code errors", async () => {
    const cases: Array<[string, Record<string, unknown>, string]> = [
      ["crm.deal.get", {}, "ID is not defined or invalid."],
      ["crm.deal.get", { id: "abc" }, "ID is not defined or invalid."],
      ["crm.deal.get", { id: 0 }, "ID is not defined or invalid."],
      ["crm.deal.get", { id: 999_999 }, "Not found"],
      ["crm.deal.add", {}, "Parameter 'fields' must be array."],
      ["crm.deal.add", { fields: "TITLE" }, "Parameter 'fields' must be array."],
      ["crm.deal.update", { id: 999_999, fields: { TITLE: "x" } }, "Not found"],
      ["crm.deal.delete", { id: "-3" }, "ID is not defined or invalid."],
      ["crm.deal.list", { filter: "x" }, "Parameter 'filter' must be array."],
      ["crm.deal.list", { order: "ID" }, "Parameter 'order' must be array."],
    ];
    for (const [method, params, text] of cases) {
      const reply = await call(base, method, params);
      expect(reply.status, `${method} ${JSON.stringify(params)}`).toBe(400);
      expect(reply.body).toEqual({ error: "", error_description: text });
    }
  });

  it("crm.deal.fields describes each field", async () => {
    const fields = (await ok(base, "crm.deal.fields")).result;
    expect(fields.ID).toEqual({
      type: "integer",
      isRequired: false,
      isReadOnly: true,
      isImmutable: false,
      isMultiple: false,
      isDynamic: false,
      title: "ID",
    });
    expect(fields.STAGE_ID).toMatchObject({
      type: "crm_status",
      statusType: "DEAL_STAGE",
      isReadOnly: false,
    });
    expect(fields.CATEGORY_ID).toMatchObject({ isImmutable: true });
    expect(fields.OPPORTUNITY.type).toBe("double");
  });
});

describe("legacy pagination", () => {
  let base: string;
  beforeAll(async () => {
    const p = await newPortal();
    base = p.base;
    const seeded = await control(emu).send("POST", `portals/${p.memberId}/seed`, { deals: 120 });
    expect(seeded.body.seeded).toEqual({ deals: 120, contacts: 0, companies: 0, leads: 0 });
  });

  it("pages by 50 with total and next, and no next on the last page", async () => {
    const first = await ok(base, "crm.deal.list", {});
    expect(first.result).toHaveLength(50);
    expect(first.total).toBe(120);
    expect(first.next).toBe(50);
    expect(first.result[0].ID).toBe("1");

    const second = await ok(base, "crm.deal.list", { start: 50 });
    expect(second.result[0].ID).toBe("51");
    expect(second.total).toBe(120);
    expect(second.next).toBe(100);

    const last = await ok(base, "crm.deal.list", { start: "100" });
    expect(last.result).toHaveLength(20);
    expect(last.total).toBe(120);
    expect("next" in last).toBe(false);
  });

  it("start=-1 skips the count: total 0 and no next", async () => {
    const page = await ok(base, "crm.deal.list", { start: -1, order: { ID: "ASC" }, filter: { ">ID": 60 } });
    expect(page.result).toHaveLength(50);
    expect(page.result[0].ID).toBe("61");
    expect(page.total).toBe(0);
    expect("next" in page).toBe(false);
  });

  it("keyset enumeration with >ID and start=-1 visits every record once", async () => {
    const seen: string[] = [];
    let last = 0;
    for (;;) {
      const page = await ok(base, "crm.deal.list", {
        order: { ID: "ASC" },
        filter: { ">ID": last },
        select: ["ID"],
        start: -1,
      });
      for (const r of page.result) seen.push(r.ID);
      if (page.result.length < 50) break;
      last = Number(page.result.at(-1).ID);
    }
    expect(seen).toHaveLength(120);
    expect(new Set(seen).size).toBe(120);
  });

  it("the default select has the standard fields, string-valued", async () => {
    const row = (await ok(base, "crm.deal.list", { filter: { ID: 7 } })).result[0];
    expect(Object.keys(row)).toEqual(
      expect.arrayContaining(["ID", "TITLE", "STAGE_ID", "OPPORTUNITY", "DATE_CREATE"]),
    );
    expect(row.ID).toBe("7");
    expect(row.OPPORTUNITY).toMatch(/^\d+\.\d{2}$/);
    for (const v of Object.values(row)) expect(v === null || typeof v === "string").toBe(true);
  });
});

describe("legacy filter, order, select", () => {
  let base: string;
  const ids: number[] = [];
  const titles = ["Alpha", "Beta", "Gamma", "Delta", "Epsilon", "Zeta", "Eta", "Theta"];
  const stages = ["NEW", "NEW", "PREPARATION", "WON", "LOSE", "NEW", "PREPARATION", "NEW"];

  beforeAll(async () => {
    ({ base } = await newPortal());
    for (const [i, title] of titles.entries()) {
      const r = await ok(base, "crm.deal.add", {
        fields: { TITLE: title, STAGE_ID: stages[i], OPPORTUNITY: (i + 1) * 100, UF_CRM_TAG: `t${i % 2}` },
      });
      ids.push(r.result);
    }
    expect(ids).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  const list = async (params: Record<string, unknown>) =>
    (await ok(base, "crm.deal.list", params)).result as any[];
  const idsOf = (rows: any[]) => rows.map((r) => r.ID);

  it("comparison operators on ID", async () => {
    expect(idsOf(await list({ filter: { ">ID": 5 } }))).toEqual(["6", "7", "8"]);
    expect(idsOf(await list({ filter: { ">=ID": 5 } }))).toEqual(["5", "6", "7", "8"]);
    expect(idsOf(await list({ filter: { "<ID": 3 } }))).toEqual(["1", "2"]);
    expect(idsOf(await list({ filter: { "<=ID": "3" } }))).toEqual(["1", "2", "3"]);
    expect(idsOf(await list({ filter: { "=ID": 4 } }))).toEqual(["4"]);
    expect(idsOf(await list({ filter: { ID: "4" } }))).toEqual(["4"]);
  });

  it("IN, NOT, LIKE", async () => {
    expect(idsOf(await list({ filter: { "@ID": [2, 4, 6] } }))).toEqual(["2", "4", "6"]);
    expect(idsOf(await list({ filter: { "!STAGE_ID": "NEW" } }))).toEqual(["3", "4", "5", "7"]);
    expect(idsOf(await list({ filter: { "%TITLE": "eta" } }))).toEqual(["2", "6", "7", "8"]);
    expect(idsOf(await list({ filter: { "%TITLE": "ETA", STAGE_ID: "NEW" } }))).toEqual(["2", "6", "8"]);
    expect(idsOf(await list({ filter: { ">OPPORTUNITY": 650 } }))).toEqual(["7", "8"]);
  });

  it("order DESC and multi-key order", async () => {
    expect(idsOf(await list({ order: { ID: "DESC" } }))).toEqual(["8", "7", "6", "5", "4", "3", "2", "1"]);
    const byStage = await list({
      order: { STAGE_ID: "ASC", OPPORTUNITY: "DESC" },
      select: ["ID", "STAGE_ID"],
    });
    expect(byStage.map((r) => `${r.STAGE_ID}:${r.ID}`)).toEqual([
      "LOSE:5",
      "NEW:8",
      "NEW:6",
      "NEW:2",
      "NEW:1",
      "PREPARATION:7",
      "PREPARATION:3",
      "WON:4",
    ]);
  });

  it("select narrows the keys; UF_* adds user fields; * does not; no select means * and UF_*", async () => {
    const [narrow] = await list({ filter: { ID: 1 }, select: ["ID", "TITLE"] });
    expect(narrow).toEqual({ ID: "1", TITLE: "Alpha" });
    // crm-deal-list.md: "By default, all fields are taken — '*' + Custom fields — 'UF_*'"; ID always comes along.
    const [plain] = await list({ filter: { ID: 1 } });
    expect(plain).toMatchObject({ ID: "1", STAGE_ID: "NEW", UF_CRM_TAG: "t0" });
    const [titleOnly] = await list({ filter: { ID: 1 }, select: ["TITLE"] });
    expect(titleOnly).toEqual({ TITLE: "Alpha", ID: "1" });
    const [star] = await list({ filter: { ID: 1 }, select: ["*"] });
    expect(star.UF_CRM_TAG).toBeUndefined();
    expect(star.STAGE_ID).toBe("NEW");
    const [uf] = await list({ filter: { ID: 2 }, select: ["*", "UF_*"] });
    expect(uf.UF_CRM_TAG).toBe("t1");
    expect(uf.TITLE).toBe("Beta");
  });

  it("filters on user fields", async () => {
    expect(idsOf(await list({ filter: { UF_CRM_TAG: "t0" } }))).toEqual(["1", "3", "5", "7"]);
  });
});

describe("legacy leads, contacts, companies", () => {
  let base: string;
  beforeAll(async () => {
    ({ base } = await newPortal());
  });

  it("lead multi-fields come back as [{ID, VALUE_TYPE, VALUE, TYPE_ID}] and only when selected in lists", async () => {
    const added = await ok(base, "crm.lead.add", {
      fields: {
        TITLE: "Inbound",
        NAME: "Ann",
        LAST_NAME: "Lee",
        STATUS_ID: "IN_PROCESS",
        PHONE: [{ VALUE: "+15550001", VALUE_TYPE: "WORK" }],
        EMAIL: [{ VALUE: "ann@example.test", VALUE_TYPE: "HOME" }],
      },
    });
    const lead = (await ok(base, "crm.lead.get", { id: added.result })).result;
    expect(lead).toMatchObject({
      ID: String(added.result),
      NAME: "Ann",
      STATUS_ID: "IN_PROCESS",
      HAS_PHONE: "Y",
    });
    expect(lead.PHONE).toEqual([
      { ID: expect.stringMatching(/^\d+$/), VALUE_TYPE: "WORK", VALUE: "+15550001", TYPE_ID: "PHONE" },
    ]);
    expect(lead.EMAIL[0]).toMatchObject({ VALUE: "ann@example.test", VALUE_TYPE: "HOME", TYPE_ID: "EMAIL" });

    const [plain] = (await ok(base, "crm.lead.list", {})).result;
    expect(plain.PHONE).toBeUndefined();
    expect(plain.NAME).toBe("Ann");
    const [withPhone] = (await ok(base, "crm.lead.list", { select: ["ID", "PHONE"] })).result;
    expect(Object.keys(withPhone)).toEqual(["ID", "PHONE"]);
    expect(withPhone.PHONE[0].VALUE).toBe("+15550001");
    expect((await ok(base, "crm.lead.list", { filter: { PHONE: "+15550001" } })).total).toBe(1);

    // Update: an entry with a known ID changes it, one without ID is added, an empty VALUE removes one.
    const phoneId = lead.PHONE[0].ID;
    await ok(base, "crm.lead.update", {
      id: added.result,
      fields: { PHONE: [{ ID: phoneId, VALUE: "+15550002", VALUE_TYPE: "MOBILE" }, { VALUE: "+15550003" }] },
    });
    let phones = (await ok(base, "crm.lead.get", { id: added.result })).result.PHONE;
    expect(phones.map((p: any) => `${p.VALUE}/${p.VALUE_TYPE}`)).toEqual([
      "+15550002/MOBILE",
      "+15550003/WORK",
    ]);
    await ok(base, "crm.lead.update", { id: added.result, fields: { PHONE: [{ ID: phoneId, VALUE: "" }] } });
    phones = (await ok(base, "crm.lead.get", { id: added.result })).result.PHONE;
    expect(phones.map((p: any) => p.VALUE)).toEqual(["+15550003"]);
  });

  it("contacts and companies", async () => {
    const company = await ok(base, "crm.company.add", {
      fields: { TITLE: "Acme", COMPANY_TYPE: "PARTNER", INDUSTRY: "IT", REVENUE: "1500000" },
    });
    const contact = await ok(base, "crm.contact.add", {
      fields: {
        NAME: "Bob",
        LAST_NAME: "Stone",
        COMPANY_ID: company.result,
        EMAIL: [{ VALUE: "bob@acme.test" }],
      },
    });
    const c = (await ok(base, "crm.contact.get", { id: contact.result })).result;
    expect(c).toMatchObject({
      NAME: "Bob",
      LAST_NAME: "Stone",
      COMPANY_ID: String(company.result),
      TYPE_ID: "CLIENT",
    });
    expect(c.EMAIL[0]).toMatchObject({ VALUE: "bob@acme.test", VALUE_TYPE: "WORK" });
    const co = (await ok(base, "crm.company.get", { id: company.result })).result;
    expect(co).toMatchObject({
      TITLE: "Acme",
      COMPANY_TYPE: "PARTNER",
      INDUSTRY: "IT",
      // The company revenue prints as PHP prints a float (crm-company-get.md shows "REVENUE": "0").
      REVENUE: "1500000",
    });
    expect((await ok(base, "crm.contact.fields")).result.EMAIL).toMatchObject({
      type: "crm_multifield",
      isMultiple: true,
    });

    const deal = await ok(base, "crm.deal.add", {
      fields: { TITLE: "Linked", COMPANY_ID: company.result, CONTACT_IDS: [contact.result] },
    });
    const linked = (await ok(base, "crm.deal.get", { id: deal.result })).result;
    expect(linked).toMatchObject({ COMPANY_ID: String(company.result), CONTACT_ID: String(contact.result) });
    const item = (await ok(base, "crm.item.get", { entityTypeId: 2, id: deal.result })).result.item;
    expect(item).toMatchObject({
      companyId: company.result,
      contactId: contact.result,
      contactIds: [contact.result],
    });
  });
});

describe("fields the portal derives or links", () => {
  let base: string;
  beforeAll(async () => {
    ({ base } = await newPortal());
  });
  const get = async (code: string, id: number) => (await ok(base, `crm.${code}.get`, { id })).result;

  it("a deal records stage moves (MOVED_*), starts new (IS_NEW) and keeps CONTACT_ID first of CONTACT_IDS", async () => {
    const first = (await ok(base, "crm.contact.add", { fields: { NAME: "A" } })).result;
    const second = (await ok(base, "crm.contact.add", { fields: { NAME: "B" } })).result;
    const id = (await ok(base, "crm.deal.add", { fields: { TITLE: "D", CONTACT_IDS: [second, first] } }))
      .result;
    const added = await get("deal", id);
    expect(added).toMatchObject({ IS_NEW: "Y", CONTACT_ID: String(second), MOVED_BY_ID: "1" });
    expect(added.MOVED_TIME).toBe(added.DATE_CREATE);
    expect(added.CONTACT_IDS).toBeUndefined();
    const item = (await ok(base, "crm.item.get", { entityTypeId: 2, id })).result.item;
    expect(item.contactIds).toEqual([second, first]);

    await control(emu).send("POST", "clock", { advanceSeconds: 60 });
    await ok(base, "crm.deal.update", { id, fields: { STAGE_ID: "PREPARATION", CONTACT_ID: first } });
    const moved = (await ok(base, "crm.item.get", { entityTypeId: 2, id })).result.item;
    // Setting the single link replaces the one it held (second) at the head of the list.
    expect(moved).toMatchObject({ isNew: "N", contactId: first, contactIds: [first] });
    expect(moved.movedTime).not.toBe(moved.createdTime);
  });

  it('a lead linked to a contact is returning; closing it dates it; empty dates print as ""', async () => {
    const contact = (await ok(base, "crm.contact.add", { fields: { NAME: "C" } })).result;
    const id = (await ok(base, "crm.lead.add", { fields: { TITLE: "L", IS_RETURN_CUSTOMER: "Y" } })).result;
    expect(await get("lead", id)).toMatchObject({ IS_RETURN_CUSTOMER: "N", DATE_CLOSED: "", BIRTHDATE: "" });
    await ok(base, "crm.lead.update", { id, fields: { CONTACT_ID: contact, STATUS_ID: "JUNK" } });
    const closed = await get("lead", id);
    expect(closed).toMatchObject({ IS_RETURN_CUSTOMER: "Y", STATUS_SEMANTIC_ID: "F" });
    expect(closed.DATE_CLOSED).toMatch(ISO);
  });

  it("multi-field values are removed by DELETE=Y or an ID alone; dd.mm.yyyy dates are read", async () => {
    const id = (
      await ok(base, "crm.contact.add", {
        fields: {
          NAME: "M",
          BIRTHDATE: "11.11.2001",
          PHONE: [{ VALUE: "1" }, { VALUE: "2" }, { VALUE: "3" }],
        },
      })
    ).result;
    const contact = await get("contact", id);
    expect(contact.BIRTHDATE).toBe("2001-11-11T00:00:00+00:00");
    const [a, b] = contact.PHONE.map((p: any) => p.ID);
    await ok(base, "crm.contact.update", { id, fields: { PHONE: [{ ID: a, DELETE: "Y" }, { ID: b }] } });
    expect((await get("contact", id)).PHONE.map((p: any) => p.VALUE)).toEqual(["3"]);
  });

  it("refuses an e-mail that is not an address with ERROR_CORE, and writes nothing", async () => {
    const bad = await call(base, "crm.company.add", { fields: { TITLE: "X", EMAIL: [{ VALUE: "nope" }] } });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe("ERROR_CORE");
    expect((await ok(base, "crm.company.list", { filter: { TITLE: "X" } })).total).toBe(0);
  });

  it("legacy lists ignore filter fields the type does not have; crm.item.list joins groups with logic OR", async () => {
    for (const NAME of ["Ann", "Bob", "Cid"]) await ok(base, "crm.lead.add", { fields: { NAME } });
    const ignored = await ok(base, "crm.lead.list", {
      filter: { NAME: "Bob", IMPORT: "Y" },
      select: ["NAME"],
    });
    expect(ignored.result).toEqual([{ NAME: "Bob", ID: expect.any(String) }]);
    const either = await ok(base, "crm.item.list", {
      entityTypeId: 1,
      filter: { "0": { logic: "OR", "0": { name: "Ann" }, "1": { name: "Cid" } } },
      select: ["name"],
      order: { name: "ASC" },
    });
    expect(either.result.items.map((i: any) => i.name)).toEqual(["Ann", "Cid"]);
  });

  it("only crm.item.update moves a deal to another pipeline, to that pipeline's first stage", async () => {
    const id = (await ok(base, "crm.deal.add", { fields: { TITLE: "P", STAGE_ID: "PREPARATION" } })).result;
    await ok(base, "crm.deal.update", { id, fields: { CATEGORY_ID: 3 } });
    expect(await get("deal", id)).toMatchObject({ CATEGORY_ID: "0", STAGE_ID: "PREPARATION" });
    const moved = await ok(base, "crm.item.update", { entityTypeId: 2, id, fields: { categoryId: 3 } });
    expect(moved.result.item).toMatchObject({ categoryId: 3, stageId: "C3:NEW" });
  });

  it("crm.item.fields names each field with its upper-case item name", async () => {
    const fields = (await ok(base, "crm.item.fields", { entityTypeId: 2 })).result.fields;
    expect(fields.createdTime).toMatchObject({
      type: "datetime",
      isReadOnly: true,
      upperName: "CREATED_TIME",
    });
    expect(fields.opened.type).toBe("boolean");
    expect(fields.contactIds).toMatchObject({ isMultiple: true, upperName: "CONTACT_IDS" });
    expect(fields.phoneWork).toBeUndefined();
  });
});

describe("crm.item.*", () => {
  let base: string;
  beforeAll(async () => {
    ({ base } = await newPortal());
  });

  it("sees a deal added with crm.deal.add, with camelCase keys and numbers as numbers", async () => {
    const added = await ok(base, "crm.deal.add", {
      fields: { TITLE: "Shared", OPPORTUNITY: "999.90", STAGE_ID: "EXECUTING", UF_CRM_1720019876534: "321" },
    });
    const body = await ok(base, "crm.item.get", { entityTypeId: 2, id: added.result });
    const item = body.result.item;
    expect(item).toMatchObject({
      id: added.result,
      title: "Shared",
      opportunity: 999.9,
      stageId: "EXECUTING",
      categoryId: 0,
      assignedById: 1,
      createdBy: 1,
      updatedBy: 1,
      currencyId: "USD",
      opened: "Y",
      entityTypeId: 2,
      ufCrm_1720019876534: "321",
    });
    expect(item.createdTime).toMatch(ISO);
    expect(item.updatedTime).toBe(item.createdTime);
    expect(item.ID).toBeUndefined();
    expect(item.STAGE_ID).toBeUndefined();

    const original = await ok(base, "crm.item.get", {
      entityTypeId: 2,
      id: added.result,
      useOriginalUfNames: "Y",
    });
    expect(original.result.item.UF_CRM_1720019876534).toBe("321");
  });

  it("add and update answer {item}; the legacy API sees the result", async () => {
    const added = await ok(base, "crm.item.add", {
      entityTypeId: 2,
      fields: { title: "From item", opportunity: 1500, stageId: "PREPARATION", assignedById: 1 },
    });
    const item = added.result.item;
    expect(typeof item.id).toBe("number");
    expect(item).toMatchObject({ title: "From item", opportunity: 1500, stageId: "PREPARATION" });

    const legacy = (await ok(base, "crm.deal.get", { id: item.id })).result;
    expect(legacy).toMatchObject({
      ID: String(item.id),
      TITLE: "From item",
      OPPORTUNITY: "1500.00",
      STAGE_ID: "PREPARATION",
    });

    const updated = await ok(base, "crm.item.update", {
      entityTypeId: 2,
      id: item.id,
      fields: { title: "Renamed" },
    });
    expect(updated.result.item).toMatchObject({ id: item.id, title: "Renamed", opportunity: 1500 });
  });

  it("delete answers [] and the item is then NOT_FOUND", async () => {
    const added = await ok(base, "crm.item.add", { entityTypeId: 2, fields: { title: "Temp" } });
    const id = added.result.item.id;
    const deleted = await ok(base, "crm.item.delete", { entityTypeId: 2, id });
    expect(deleted.result).toEqual([]);
    const after = await call(base, "crm.item.get", { entityTypeId: 2, id });
    expect(after.status).toBe(400);
    expect(after.body.error).toBe("NOT_FOUND");
    expect((await call(base, "crm.deal.get", { id })).body.error_description).toBe("Not found");
  });

  it("list: {items} with total/next at the top level, camelCase filter/order/select", async () => {
    const p = await newPortal();
    await control(emu).send("POST", `portals/${p.memberId}/seed`, { deals: 120 });
    const first = await ok(p.base, "crm.item.list", { entityTypeId: 2 });
    expect(Object.keys(first.result)).toEqual(["items"]);
    expect(first.result.items).toHaveLength(50);
    expect(first.total).toBe(120);
    expect(first.next).toBe(50);
    expect(typeof first.result.items[0].id).toBe("number");
    expect(typeof first.result.items[0].opportunity).toBe("number");

    const page = await ok(p.base, "crm.item.list", {
      entityTypeId: 2,
      filter: { ">id": 5, "<=id": 10 },
      order: { id: "DESC" },
      select: ["id", "title"],
    });
    expect(page.result.items.map((i: any) => i.id)).toEqual([10, 9, 8, 7, 6]);
    expect(Object.keys(page.result.items[0])).toEqual(["id", "title"]);
    expect(page.total).toBe(5);
    expect("next" in page).toBe(false);

    const byStage = await ok(p.base, "crm.item.list", {
      entityTypeId: 2,
      filter: { "@stageId": ["WON", "LOSE"], ">opportunity": 0 },
      select: ["id", "stageId"],
      start: 50,
    });
    expect(byStage.total).toBeGreaterThan(0);
    for (const i of byStage.result.items) expect(["WON", "LOSE"]).toContain(i.stageId);

    const last = await ok(p.base, "crm.item.list", { entityTypeId: 2, start: 100, select: ["*"] });
    expect(last.result.items).toHaveLength(20);
    expect("next" in last).toBe(false);
    const unCounted = await ok(p.base, "crm.item.list", {
      entityTypeId: 2,
      start: -1,
      filter: { ">id": 100 },
    });
    expect(unCounted.result.items).toHaveLength(20);
    expect(unCounted.total).toBe(0);
    expect("next" in unCounted).toBe(false);
  });

  it("refuses unknown filter/order fields with INVALID_ARG_VALUE", async () => {
    const bad = await call(base, "crm.item.list", { entityTypeId: 2, filter: { noSuchField: 1 } });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe("INVALID_ARG_VALUE");
    const badOrder = await call(base, "crm.item.list", { entityTypeId: 2, order: { id: "SIDEWAYS" } });
    expect(badOrder.body.error).toBe("INVALID_ARG_VALUE");
  });

  it("contacts expose multi-fields as fm", async () => {
    const added = await ok(base, "crm.item.add", {
      entityTypeId: 3,
      fields: {
        name: "Eve",
        lastName: "Hall",
        fm: [{ typeId: "PHONE", valueType: "MOBILE", value: "+4470000" }],
      },
    });
    const item = added.result.item;
    expect(item).toMatchObject({ name: "Eve", lastName: "Hall", hasPhone: "Y", entityTypeId: 3 });
    expect(item.fm).toEqual([
      { id: expect.any(Number), valueType: "MOBILE", value: "+4470000", typeId: "PHONE" },
    ]);
    const legacy = (await ok(base, "crm.contact.get", { id: item.id })).result;
    expect(legacy.PHONE).toEqual([
      { ID: String(item.fm[0].id), VALUE_TYPE: "MOBILE", VALUE: "+4470000", TYPE_ID: "PHONE" },
    ]);
  });

  it("smart processes live only behind crm.item with their own ids", async () => {
    const added = await ok(base, "crm.item.add", {
      entityTypeId: 1038,
      fields: { title: "Request", ufCrm5_1651: "v" },
    });
    const item = added.result.item;
    expect(item).toMatchObject({
      id: 1,
      title: "Request",
      entityTypeId: 1038,
      stageId: expect.stringMatching(/^DT1038_/),
    });
    expect(item.ufCrm5_1651).toBe("v");
    const list = await ok(base, "crm.item.list", { entityTypeId: 1038, select: ["id", "title"] });
    expect(list.result.items).toEqual([{ id: 1, title: "Request" }]);
    expect(list.total).toBe(1);
  });

  it("unknown types and items are NOT_FOUND; missing arguments are code 100", async () => {
    const type = await call(base, "crm.item.get", { entityTypeId: 777, id: 1 });
    expect(type.status).toBe(400);
    expect(type.body).toEqual({ error: "NOT_FOUND", error_description: "Smart process not found" });
    const item = await call(base, "crm.item.get", { entityTypeId: 2, id: 987_654 });
    expect(item.status).toBe(400);
    expect(item.body).toEqual({ error: "NOT_FOUND", error_description: "Item not found" });
    const missing = await call(base, "crm.item.list", {});
    expect(missing.status).toBe(400);
    expect(missing.body).toEqual({
      error: "100",
      error_description: "Could not find value for parameter {entityTypeId}",
    });
  });
});

describe("CRM rights", () => {
  let memberId: string;
  let base: string;
  let ownBase: string;
  let ownUserId: number;
  let noneBase: string;
  let mine: number;
  let theirs: number;

  beforeAll(async () => {
    ({ memberId, base } = await newPortal());
    const own = await control(emu).send("POST", `portals/${memberId}/users`, {
      ADMIN: false,
      crmRights: { "2": "own" },
    });
    expect(own.status).toBe(201);
    ownBase = own.body.webhookUrl;
    ownUserId = own.body.user.ID;
    const none = await control(emu).send("POST", `portals/${memberId}/users`, {
      ADMIN: false,
      crmRights: { "2": "none" },
    });
    noneBase = none.body.webhookUrl;
    mine = (await ok(base, "crm.deal.add", { fields: { TITLE: "Theirs-own", ASSIGNED_BY_ID: ownUserId } }))
      .result;
    theirs = (await ok(base, "crm.deal.add", { fields: { TITLE: "Admin's" } })).result;
  });

  it("'own' lists only the user's records, in both APIs", async () => {
    const legacy = await ok(ownBase, "crm.deal.list", {});
    expect(legacy.result.map((r: any) => r.ID)).toEqual([String(mine)]);
    expect(legacy.total).toBe(1);
    const items = await ok(ownBase, "crm.item.list", { entityTypeId: 2 });
    expect(items.result.items.map((i: any) => i.id)).toEqual([mine]);
    expect(items.total).toBe(1);
  });

  it("'own' reads and changes own records, and is refused others'", async () => {
    expect((await ok(ownBase, "crm.deal.get", { id: mine })).result.TITLE).toBe("Theirs-own");
    expect((await ok(ownBase, "crm.deal.update", { id: mine, fields: { TITLE: "Edited" } })).result).toBe(
      true,
    );

    for (const [method, params] of [
      ["crm.deal.get", { id: theirs }],
      ["crm.deal.update", { id: theirs, fields: { TITLE: "Hijack" } }],
      ["crm.deal.delete", { id: theirs }],
    ] as const) {
      const reply = await call(ownBase, method, params);
      expect(reply.status, method).toBe(400);
      expect(reply.body).toEqual({ error: "", error_description: "Access denied." });
    }
    const item = await call(ownBase, "crm.item.get", { entityTypeId: 2, id: theirs });
    expect(item.status).toBe(400);
    expect(item.body.error).toBe("ACCESS_DENIED");
    const del = await call(ownBase, "crm.item.delete", { entityTypeId: 2, id: theirs });
    expect(del.body.error).toBe("ACCESS_DENIED");
    expect((await ok(base, "crm.deal.get", { id: theirs })).result.TITLE).toBe("Admin's");
  });

  it("'own' adds records assigned to the caller by default", async () => {
    const added = await ok(ownBase, "crm.deal.add", { fields: { TITLE: "Mine too" } });
    const deal = (await ok(ownBase, "crm.deal.get", { id: added.result })).result;
    expect(deal).toMatchObject({ ASSIGNED_BY_ID: String(ownUserId), CREATED_BY_ID: String(ownUserId) });
  });

  it("'none' is refused by the legacy API and sees an empty crm.item list", async () => {
    for (const [method, params] of [
      ["crm.deal.list", {}],
      ["crm.deal.get", { id: theirs }],
      ["crm.deal.add", { fields: { TITLE: "x" } }],
    ] as const) {
      const reply = await call(noneBase, method, params);
      expect(reply.status, method).toBe(400);
      expect(reply.body).toEqual({ error: "", error_description: "Access denied." });
    }
    const items = await ok(noneBase, "crm.item.list", { entityTypeId: 2 });
    expect(items.result.items).toEqual([]);
    expect(items.total).toBe(0);
    expect((await call(noneBase, "crm.item.get", { entityTypeId: 2, id: theirs })).body.error).toBe(
      "ACCESS_DENIED",
    );
    expect((await call(noneBase, "crm.item.add", { entityTypeId: 2, fields: {} })).body.error).toBe(
      "ACCESS_DENIED",
    );
  });

  it("rights are per entity type: the same users keep full access to contacts", async () => {
    const added = await ok(base, "crm.contact.add", { fields: { NAME: "Shared" } });
    expect((await ok(noneBase, "crm.contact.get", { id: added.result })).result.NAME).toBe("Shared");
    expect((await ok(ownBase, "crm.contact.list", {})).total).toBe(1);
  });
});

describe("seedCrm", () => {
  const NOW = Date.UTC(2026, 0, 1, 10);

  it("seeds 100,000 deals, linked to seeded contacts and companies", () => {
    const portal = new Portal({ domain: "seed.test", users: [{}, { ID: 2 }, { ID: 3 }] });
    const counts = seedCrm(portal, { deals: 100_000, contacts: 2_000, companies: 500, leads: 1_000 }, NOW);
    expect(counts).toEqual({ deals: 100_000, contacts: 2_000, companies: 500, leads: 1_000 });

    const deals = portal.table("crm:2");
    expect(deals.rows.size).toBe(100_000);
    const contacts = portal.table("crm:3");
    const companies = portal.table("crm:4");
    const stages = new Set<unknown>();
    const users = new Set<unknown>();
    let broken = 0;
    for (const d of deals.rows.values()) {
      stages.add(d.STAGE_ID);
      users.add(d.ASSIGNED_BY_ID);
      const linked = contacts.get(d.CONTACT_ID as number) && companies.get(d.COMPANY_ID as number);
      if (!linked || typeof d.OPPORTUNITY !== "number") broken += 1;
    }
    expect(broken).toBe(0);
    expect(stages.size).toBeGreaterThan(4);
    expect([...users].sort()).toEqual([1, 2, 3]);
    const last = deals.get(100_000)!;
    expect(last.DATE_CREATE).toBe("2026-01-01T09:59:00+00:00");
  });

  it("is deterministic", () => {
    const a = new Portal({ domain: "a.test" });
    const b = new Portal({ domain: "b.test" });
    seedCrm(a, { deals: 300, contacts: 40, companies: 10, leads: 20 }, NOW);
    seedCrm(b, { deals: 300, contacts: 40, companies: 10, leads: 20 }, NOW);
    for (const t of ["crm:1", "crm:2", "crm:3", "crm:4"]) {
      expect(JSON.stringify(a.table(t).all())).toBe(JSON.stringify(b.table(t).all()));
    }
  });
});
