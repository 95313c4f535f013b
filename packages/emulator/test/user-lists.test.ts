import { control, testEmulator, testPortal } from "@b24kit/emulator/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call } from "./helpers.js";

// user.get / user.search filters, search and paging as api-reference/user/user-get.md and
// user-search.md describe them; user.current's and user.access's details from their pages.
const emu = await testEmulator();
afterAll(() => emu.close());

let hook: string;
let employeeHook: string;
const ids: Record<string, string> = {};

beforeAll(async () => {
  const portal = await testPortal(emu);
  hook = portal.adminWebhookUrl;
  const research = (await call(hook, "department.add", { NAME: "Research Lab", PARENT: 1 })).body.result;
  const api = control(emu);
  const people = [
    { NAME: "Ivan", LAST_NAME: "Petrov", PERSONAL_CITY: "New York", WORK_POSITION: "Sales manager" },
    { NAME: "Laura", LAST_NAME: "Stone", PERSONAL_CITY: "Los Angeles", WORK_POSITION: "Accountant" },
    { NAME: "Olivia", LAST_NAME: "Morgan", WORK_POSITION: "Chemist", UF_DEPARTMENT: [research] },
  ];
  for (const person of people) {
    const added = await api.addUser(portal.memberId, { ...person, webhookScopes: ["user", "basic"] });
    ids[person.NAME] = String(added.user.ID);
    if (person.NAME === "Laura") employeeHook = added.webhookUrl;
  }
});

const names = async (method: string, params: Record<string, unknown>) => {
  const reply = await call(hook, method, params);
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  return (reply.body.result as Array<{ NAME: string }>).map((u) => u.NAME);
};

describe("user.get filter (api-reference/user/user-get.md)", () => {
  it("reads the documented prefixes: LIKE with and without % in the value, IN, NOT", async () => {
    expect(await names("user.get", { filter: { NAME: "Iv%" } })).toEqual(["Ivan"]);
    expect(await names("user.get", { filter: { "%LAST_NAME": "TON" } })).toEqual(["Laura"]);
    expect(await names("user.get", { filter: { "=%NAME": "%ia" } })).toEqual(["Olivia"]);
    expect(await names("user.get", { filter: { "!%LAST_NAME": "o" } })).toEqual([]);
    expect(await names("user.get", { filter: { "!=%NAME": "%a%" } })).toEqual([]);
    expect(await names("user.get", { filter: { "!%=LAST_NAME": "%tr%" } })).toEqual([
      "Admin",
      "Laura",
      "Olivia",
    ]);
    expect(await names("user.get", { filter: { "@PERSONAL_CITY": ["New York", "Los Angeles"] } })).toEqual([
      "Ivan",
      "Laura",
    ]);
    expect(await names("user.get", { filter: { "!@ID": [1, ids.Ivan] } })).toEqual(["Laura", "Olivia"]);
    expect(await names("user.get", { filter: { ">ID": ids.Laura } })).toEqual(["Olivia"]);
    expect(await names("user.get", { filter: { "!NAME": "Admin", ACTIVE: true } })).toEqual([
      "Ivan",
      "Laura",
      "Olivia",
    ]);
  });

  it("compares date fields given in ISO 8601, and a value that is no date retrieves nothing", async () => {
    expect(
      await names("user.get", { filter: { ">=DATE_REGISTER": "2020-01-01T00:00:00+02:00" } }),
    ).toHaveLength(4);
    expect(await names("user.get", { filter: { "<DATE_REGISTER": "2020-01-01" } })).toEqual([]);
    expect(await names("user.get", { filter: { ">=DATE_REGISTER": "yesterday" } })).toEqual([]);
  });

  it("takes filter keys at top level, sorts by sort/order and pages from start", async () => {
    expect(await names("user.get", { UF_DEPARTMENT: 1, SORT: "NAME", ORDER: "desc" })).toEqual([
      "Laura",
      "Ivan",
      "Admin",
    ]);
    const paged = await call(hook, "user.get", { UF_DEPARTMENT: 1, sort: "ID", order: "asc", start: 2 });
    expect(paged.body).toMatchObject({ total: 3 });
    expect((paged.body.result as Array<{ NAME: string }>).map((u) => u.NAME)).toEqual(["Laura"]);
  });

  it("writes TIMESTAMP_X and LAST_ACTIVITY_DATE as {} like the example, and select picks fields", async () => {
    const raw = await (
      await fetch(`${hook}user.get`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ ID: 1 }),
      })
    ).text();
    expect(raw).toContain('"TIMESTAMP_X":{},"LAST_ACTIVITY_DATE":{}');
    const selected = await call(hook, "user.get", {
      ID: ids.Ivan,
      select: ["NAME", "PERSONAL_CITY", "NOPE"],
    });
    expect(selected.body.result).toEqual([{ NAME: "Ivan", PERSONAL_CITY: "New York" }]);
  });
});

describe("user.search (api-reference/user/user-search.md)", () => {
  it("FIND looks for the start of words in names, job title and department name", async () => {
    expect(await names("user.search", { FILTER: { FIND: "petr" } })).toEqual(["Ivan"]);
    expect(await names("user.search", { FILTER: { FIND: "etrov" } })).toEqual([]);
    expect(await names("user.search", { FILTER: { FIND: "sales" } })).toEqual(["Ivan"]);
    expect(await names("user.search", { FILTER: { FIND: "research" } })).toEqual(["Olivia"]);
    expect(await names("user.search", { FILTER: { FIND: "laura st" } })).toEqual(["Laura"]);
  });

  it("matches NAME, LAST_NAME, WORK_POSITION and UF_DEPARTMENT_NAME from the start of a word", async () => {
    expect(await names("user.search", { FILTER: { LAST_NAME: "sto" } })).toEqual(["Laura"]);
    expect(await names("user.search", { FILTER: { LAST_NAME: "tone" } })).toEqual([]);
    expect(await names("user.search", { FILTER: { WORK_POSITION: "manager" } })).toEqual(["Ivan"]);
    expect(await names("user.search", { FILTER: { UF_DEPARTMENT_NAME: "lab" } })).toEqual(["Olivia"]);
    expect(await names("user.search", { FILTER: { USER_TYPE: "employee", NAME: "OL" } })).toEqual(["Olivia"]);
  });
});

describe("user.current (api-reference/user/user-current.md)", () => {
  it("writes LAST_ACTIVITY_DATE as a plain date-time, without TIMESTAMP_X or USER_TYPE", async () => {
    const me = (await call(employeeHook, "user.current")).body.result;
    expect(me).toMatchObject({ ID: ids.Laura, PERSONAL_CITY: "Los Angeles" });
    expect(me.LAST_ACTIVITY_DATE).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    expect(me).not.toHaveProperty("TIMESTAMP_X");
    expect(me).not.toHaveProperty("USER_TYPE");
  });
});

describe("user.access (api-reference/common/users/user-access.md)", () => {
  it("needs ACCESS; an employee holds their own codes, an administrator every code", async () => {
    expect(await call(employeeHook, "user.access", {})).toMatchObject({
      status: 400,
      body: { error: "ERROR_ARGUMENT" },
    });
    const access = async (url: string, ACCESS: string[]) =>
      (await call(url, "user.access", { ACCESS })).body.result;
    expect(await access(employeeHook, [`U${ids.Laura}`])).toBe(true);
    expect(await access(employeeHook, ["G1", `U${ids.Ivan}`])).toBe(false);
    expect(await access(hook, [`U${ids.Ivan}`])).toBe(true);
  });
});
