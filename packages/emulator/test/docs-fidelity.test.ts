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

describe("user scopes (api-reference/user/user-scope.md, api-reference/user/user-get.md)", () => {
  it("user_brief and user_basic read only their documented fields; user reads all of them", async () => {
    const portal = await testPortal(emu);
    const api = control(emu);
    const keys = async (scopes: string[]) => {
      const { url } = await api.addWebhook(portal.memberId, { scopes });
      const current = (await call(url, "user.current")).body.result as Record<string, unknown>;
      const listed = (await call(url, "user.get", { ID: 1 })).body.result[0] as Record<string, unknown>;
      // user.current's example shows neither TIMESTAMP_X nor USER_TYPE; user.get's shows both.
      const listedOnly = new Set(["TIMESTAMP_X", "USER_TYPE"]);
      expect(Object.keys(listed).filter((key) => !listedOnly.has(key))).toEqual(Object.keys(current));
      return Object.keys(listed);
    };
    const brief = await keys(["user_brief"]);
    const basic = await keys(["user_basic"]);
    const full = await keys(["user"]);
    expect(brief).toEqual(
      expect.arrayContaining(["ID", "NAME", "LAST_NAME", "WORK_POSITION", "UF_DEPARTMENT"]),
    );
    expect(brief).not.toContain("EMAIL");
    expect(brief).not.toContain("PERSONAL_MOBILE");
    expect(brief).not.toContain("WORK_PHONE");
    expect(basic).toEqual(expect.arrayContaining(["EMAIL", "WORK_PHONE", "PERSONAL_MOBILE"]));
    expect(basic).not.toContain("PERSONAL_WWW");
    expect(basic).not.toContain("USER_TYPE");
    expect(full).toEqual(
      expect.arrayContaining([
        "XML_ID",
        "LAST_LOGIN",
        "DATE_REGISTER",
        "TIMESTAMP_X",
        "PERSONAL_WWW",
        "USER_TYPE",
      ]),
    );
  });
});

describe("REST endpoint details (settings/how-to-call-rest-api/general-principles.md)", () => {
  it("answers any verb in the portal's envelope, never the web framework's", async () => {
    const portal = await testPortal(emu);
    for (const method of ["PUT", "PATCH", "DELETE"]) {
      const res = await fetch(`${portal.adminWebhookUrl}profile`, { method });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { result: { ID: string } }).result.ID).toBe("1");
    }
    const unknown = await fetch(`${portal.adminWebhookUrl}no.such.method`, { method: "PUT" });
    expect(await unknown.json()).toMatchObject({ error: "ERROR_METHOD_NOT_FOUND" });
  });
});

describe("the method catalogue (api-reference/common/system/method-get.md, scope.md)", () => {
  it("knows documented methods it does not emulate, and says so in a way no portal would", async () => {
    const portal = await testPortal(emu);
    const hook = portal.adminWebhookUrl;
    // Real, documented, not emulated: exists for feature detection…
    expect((await call(hook, "method.get", { name: "calendar.event.get" })).body.result).toEqual({
      isExisting: true,
      isAvailable: false,
    });
    expect((await call(hook, "method.get", { name: "crm.quote.list" })).body.result).toEqual({
      isExisting: true,
      isAvailable: true,
    });
    // …and a call says the emulator lacks it, not that the portal does.
    const quote = await call(hook, "crm.quote.list");
    expect(quote.status).toBe(501);
    expect(quote.body.error).toBe("EMULATOR_METHOD_NOT_EMULATED");
    // Made up: does not exist, as on a portal.
    expect((await call(hook, "method.get", { name: "crm.nothing.list" })).body.result).toEqual({
      isExisting: false,
      isAvailable: false,
    });
    expect((await call(hook, "crm.nothing.list")).body.error).toBe("ERROR_METHOD_NOT_FOUND");
    // A module switched off takes its documented methods with it.
    await control(emu).updatePortal(portal.memberId, { modules: ["tasks", "disk", "im", "telephony"] });
    expect((await call(hook, "method.get", { name: "crm.quote.list" })).body.result.isExisting).toBe(false);
    expect((await call(hook, "crm.quote.list")).body.error).toBe("ERROR_METHOD_NOT_FOUND");
  });

  it("scope full=true lists every scope plain scope can return", async () => {
    const portal = await testPortal(emu);
    const { url } = await control(emu).addWebhook(portal.memberId, { scopes: ["user_basic", "crm"] });
    const mine = (await call(url, "scope")).body.result as string[];
    const all = (await call(url, "scope", { full: true })).body.result as string[];
    expect(all).toEqual(expect.arrayContaining(mine));
    expect(all).toEqual(
      expect.arrayContaining(["crm", "task", "user", "user_basic", "user_brief", "department"]),
    );
  });
});

describe("departments (api-reference/departments/*.md, settings/how-to-call-rest-api/batch.md)", () => {
  it("department.* basics, and the batch example of batch.md", async () => {
    const portal = await testPortal(emu);
    const hook = portal.adminWebhookUrl;
    expect((await call(hook, "department.fields")).body.result).toEqual({
      ID: "ID",
      NAME: "Department Name",
      SORT: "Sort Order",
      PARENT: "Parent Department",
      UF_HEAD: "Manager",
    });
    const added = await call(hook, "department.add", { NAME: "Sales", PARENT: 1, UF_HEAD: 1 });
    expect(added.body.result).toBe(2);
    expect((await call(hook, "department.add", { PARENT: 1 })).body).toEqual({
      error: "ERROR_CORE",
      error_description: "Department name not provided.<br>",
    });
    expect((await call(hook, "department.add", { NAME: "Second root" })).status).toBe(400);
    expect((await call(hook, "department.update", { ID: 2, NAME: "Sales EU" })).body.result).toBe(true);
    const got = (await call(hook, "department.get", { PARENT: 1 })).body;
    expect(got.result).toEqual([{ ID: "2", NAME: "Sales EU", SORT: 500, PARENT: "1", UF_HEAD: "1" }]);
    expect(got.total).toBe(1);
    // The documented batch: user.current, department.get and app.info in one call.
    const { url } = await control(emu).addWebhook(portal.memberId, { scopes: ["user", "department"] });
    const batch = await call(url, "batch", {
      halt: 0,
      cmd: { get_user: "user.current", get_departments: "department.get", get_app: "app.info" },
    });
    expect(batch.status).toBe(200);
    expect(batch.body.result.result.get_user.ID).toBe("1");
    expect(batch.body.result.result.get_departments.map((d: { NAME: string }) => d.NAME)).toEqual([
      "Company",
      "Sales EU",
    ]);
    // app.info needs an app: through a webhook its error is reported for its command alone.
    expect(batch.body.result.result_error.get_app).toMatchObject({ error: "ACCESS_DENIED" });
    expect((await call(hook, "department.delete", { ID: 9 })).body.error_description).toBe(
      "Department not found",
    );
  });
});

describe("answer formats (settings/how-to-call-rest-api/general-principles.md, Request Result)", () => {
  it("answers {method}.xml in XML and {method}.json in JSON", async () => {
    const portal = await testPortal(emu);
    const res = await fetch(`${portal.adminWebhookUrl}batch.xml`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ cmd: { get_user: "user.current" } }),
    });
    expect(res.headers.get("content-type")).toMatch(/^text\/xml/);
    const xml = await res.text();
    expect(xml).toMatch(
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<response><result><result><get_user><ID>1<\/ID>/,
    );
    expect(xml).toContain("<NAME>Admin</NAME>");
    const json = await call(portal.adminWebhookUrl, "profile.json");
    expect(json.body.result.ID).toBe("1");
  });
});

describe("scope codes (api-reference/scopes/permissions.md)", () => {
  it("a grant naming a code the permissions page does not list is refused, documented codes pass", async () => {
    const api = control(emu);
    const typo = await api.send("POST", "apps", { scopes: ["crm", "usr"] });
    expect(typo.status).toBe(400);
    expect(typo.body.error).toContain('"usr"');
    const documented = await api.send("POST", "apps", {
      scopes: "crm,user_brief,sonet_group,humanresources.hcmlink",
    });
    expect(documented.status).toBe(201);
    const portal = await testPortal(emu);
    const hook = await api.send("POST", `portals/${portal.memberId}/webhooks`, {
      scopes: ["tasks_extended"],
    });
    expect(hook.status).toBe(400);
    const user = await api.send("POST", `portals/${portal.memberId}/users`, {
      NAME: "X",
      webhookScopes: ["crm", "bogus"],
    });
    expect(user.status).toBe(400);
  });
});
