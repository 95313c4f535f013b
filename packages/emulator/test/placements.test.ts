import type { EmulatorHandle } from "@b24kit/emulator";
import {
  control,
  type InstalledApp,
  installApp,
  testEmulator,
  testPortal,
  userToken,
} from "@b24kit/emulator/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildPlacementOptions, encodePlacementOptions, findPlacement } from "../src/placements/catalogue.js";
import { call, type RestReply } from "./helpers.js";

// placement.bind / unbind / get / list over HTTP (docs/protocol.md §8.1–8.2).

const HANDLER = "https://app.example.test/placement/";

describe("placements", () => {
  let emu: EmulatorHandle;
  let memberId: string;
  let hook: string;
  /** App with crm, task, user and placement. */
  let app: { clientId: string; clientSecret: string };
  let auth: { access_token: string; client_endpoint: string };
  /** App with only the placement scope. */
  let bareAuth: { access_token: string; client_endpoint: string };

  const as = (a: { access_token: string; client_endpoint: string }, method: string, params = {}) =>
    call(a.client_endpoint, method, { ...params, auth: a.access_token });
  const asApp = (method: string, params: Record<string, unknown> = {}) => as(auth, method, params);

  const expectError = (r: RestReply, status: number, error: string, description?: string) => {
    expect(r.status).toBe(status);
    expect(r.body.error).toBe(error);
    if (description !== undefined) expect(r.body.error_description).toBe(description);
  };

  /** An access token of `userId` for `app` (§1.2–1.3). */
  async function tokenFor(userId: number): Promise<string> {
    return (await userToken(emu, memberId, app.clientId, userId)).access_token;
  }

  beforeAll(async () => {
    emu = await testEmulator();
    ({ memberId, adminWebhookUrl: hook } = await testPortal(emu));
    app = await installApp(emu, memberId, {
      scopes: ["crm", "task", "user", "placement"],
      appUrl: "https://app.example.test/",
    });
    auth = (app as InstalledApp).auth;
    bareAuth = (await installApp(emu, memberId, { scopes: ["placement"] })).auth;
  });
  afterAll(() => emu.close());

  it("binds a deal tab and placement.get shows it with camelCase keys", async () => {
    const r = await asApp("placement.bind", {
      PLACEMENT: "crm_deal_detail_tab",
      HANDLER,
      TITLE: "Insights",
      DESCRIPTION: "Deal insights",
    });
    expect(r.status).toBe(200);
    expect(r.body.result).toBe(true);
    const got = await asApp("placement.get");
    expect(got.body.result).toEqual([
      {
        placement: "CRM_DEAL_DETAIL_TAB",
        userId: 0,
        handler: HANDLER,
        options: [],
        title: "Insights",
        description: "Deal insights",
        langAll: { en: { TITLE: "Insights", DESCRIPTION: "Deal insights", GROUP_NAME: "" } },
      },
    ]);
    const installation = await control(emu).send("GET", `portals/${memberId}/apps/${app.clientId}`);
    expect(installation.body.placements).toEqual([
      expect.objectContaining({ placement: "CRM_DEAL_DETAIL_TAB", handler: HANDLER, title: "Insights" }),
    ]);
  });

  it("stores LANG_ALL and takes the title from it", async () => {
    const handler = `${HANDLER}?lang=1`;
    const r = await asApp("placement.bind", {
      PLACEMENT: "CRM_LEAD_DETAIL_TAB",
      HANDLER: handler,
      TITLE: "ignored when LANG_ALL is given",
      LANG_ALL: {
        en: { TITLE: "Lead tab", DESCRIPTION: "d", GROUP_NAME: "g" },
        de: { TITLE: "Lead-Reiter" },
      },
    });
    expect(r.body.result).toBe(true);
    const row = ((await asApp("placement.get")).body.result as Array<Record<string, unknown>>).find(
      (p) => p.handler === handler,
    );
    expect(row).toMatchObject({
      title: "Lead tab",
      description: "d",
      langAll: {
        en: { TITLE: "Lead tab", DESCRIPTION: "d", GROUP_NAME: "g" },
        de: { TITLE: "Lead-Reiter", DESCRIPTION: "", GROUP_NAME: "" },
      },
    });
    await asApp("placement.unbind", { PLACEMENT: "CRM_LEAD_DETAIL_TAB" });
  });

  it("refuses webhooks with 403 WRONG_AUTH_TYPE", async () => {
    for (const method of ["placement.bind", "placement.unbind", "placement.get", "placement.list"]) {
      const r = await call(hook, method, { PLACEMENT: "CRM_DEAL_DETAIL_TAB", HANDLER });
      expectError(
        r,
        403,
        "WRONG_AUTH_TYPE",
        "Current authorization type is denied for this method Application context required",
      );
    }
  });

  it("refuses non-admins with 403 ACCESS_DENIED, but lets them list", async () => {
    const added = await control(emu).send("POST", `portals/${memberId}/users`, {
      ADMIN: false,
      NAME: "Olga",
    });
    const token = await tokenFor(added.body.user.ID);
    const user = { access_token: token, client_endpoint: auth.client_endpoint };
    for (const method of ["placement.bind", "placement.unbind", "placement.get"]) {
      expectError(
        await as(user, method, { PLACEMENT: "CRM_DEAL_DETAIL_TAB", HANDLER }),
        403,
        "ACCESS_DENIED",
      );
    }
    const list = await as(user, "placement.list");
    expect(list.status).toBe(200);
    expect(list.body.result).toContain("CRM_DEAL_DETAIL_TAB");
  });

  it("requires PLACEMENT and HANDLER (ERROR_ARGUMENT with argument; 200 per placement-bind.md's table)", async () => {
    const noPlacement = await asApp("placement.bind", { HANDLER });
    expect(noPlacement.status).toBe(200);
    expect(noPlacement.body).toEqual({
      error: "ERROR_ARGUMENT",
      error_description: "Argument 'PLACEMENT' is null or empty",
      argument: "PLACEMENT",
    });
    const noHandler = await asApp("placement.bind", { PLACEMENT: "CRM_DEAL_DETAIL_TAB" });
    expect(noHandler.body).toEqual({
      error: "ERROR_ARGUMENT",
      error_description: "Argument 'HANDLER' is null or empty",
      argument: "HANDLER",
    });
    const typed = await asApp("placement.bind", { PLACEMENT: ["CRM_DEAL_DETAIL_TAB"], HANDLER });
    expect(typed.body).toMatchObject({ error: "ERROR_ARGUMENT", argument: "PLACEMENT" });
    const unbind = await asApp("placement.unbind", {});
    expectError(unbind, 400, "ERROR_ARGUMENT", "Argument 'PLACEMENT' is null or empty");
  });

  it("rejects invented codes (CALL_LIST, TASKS_TASK_VIEW_TAB) and accepts TASK_VIEW_TAB", async () => {
    for (const code of [
      "CALL_LIST",
      "TASKS_TASK_VIEW_TAB",
      "CRM_ORDER_DETAIL_TOOLBAR",
      "CRM_DYNAMIC_999_DETAIL_TAB",
    ]) {
      expectError(
        await asApp("placement.bind", { PLACEMENT: code, HANDLER }),
        400,
        "ERROR_PLACEMENT_NOT_FOUND",
        "Placement not found",
      );
    }
    expect((await asApp("placement.bind", { PLACEMENT: "TASK_VIEW_TAB", HANDLER })).body.result).toBe(true);
    expect((await asApp("placement.bind", { PLACEMENT: "CRM_ORDER_DETAIL_TAB", HANDLER })).body.result).toBe(
      true,
    );
    expect(
      (await asApp("placement.bind", { PLACEMENT: "CRM_DYNAMIC_1038_DETAIL_TAB", HANDLER })).body.result,
    ).toBe(true);
  });

  it("needs the tool scope: placement alone binds global and messenger placements only", async () => {
    for (const code of ["CRM_DEAL_DETAIL_TAB", "TASK_VIEW_TAB", "USER_PROFILE_MENU", "CALL_CARD"]) {
      expectError(
        await as(bareAuth, "placement.bind", { PLACEMENT: code, HANDLER }),
        400,
        "ERROR_PLACEMENT_NOT_FOUND",
      );
    }
    for (const code of ["LEFT_MENU", "IM_TEXTAREA", "IM_CONTEXT_MENU"]) {
      const r = await as(bareAuth, "placement.bind", {
        PLACEMENT: code,
        HANDLER,
        OPTIONS: { iconName: "fa-bolt" },
      });
      expect(r.body.result).toBe(true);
    }
    const got = (await as(bareAuth, "placement.get")).body.result as Array<Record<string, unknown>>;
    expect(got.find((p) => p.placement === "IM_TEXTAREA")?.options).toEqual({ iconName: "fa-bolt" });
    expect(got.find((p) => p.placement === "LEFT_MENU")?.options).toEqual([]);
  });

  it("checks the handler URL", async () => {
    expectError(
      await asApp("placement.bind", { PLACEMENT: "CRM_CONTACT_DETAIL_TAB", HANDLER: "https://localhost/x" }),
      400,
      "ERROR_WRONG_HANDLER_URL",
      "Wrong handler URL",
    );
    expectError(
      await asApp("placement.bind", { PLACEMENT: "CRM_CONTACT_DETAIL_TAB", HANDLER: "not a url" }),
      400,
      "ERROR_WRONG_HANDLER_URL",
    );
    expectError(
      await asApp("placement.bind", {
        PLACEMENT: "CRM_CONTACT_DETAIL_TAB",
        HANDLER: "ftp://files.example.test/x",
      }),
      400,
      "ERROR_UNSUPPORTED_PROTOCOL",
      "Unsupported handler protocol",
    );
    // Plain http is fine, loopback included, unless --require-https.
    const local = "http://127.0.0.1:3000/tab";
    expect(
      (await asApp("placement.bind", { PLACEMENT: "CRM_CONTACT_DETAIL_TAB", HANDLER: local })).body.result,
    ).toBe(true);
    await control(emu).send("PATCH", "settings", { requireHttpsHandlers: true });
    try {
      expectError(
        await asApp("placement.bind", { PLACEMENT: "CRM_COMPANY_DETAIL_TAB", HANDLER: local }),
        400,
        "ERROR_UNSUPPORTED_PROTOCOL",
      );
    } finally {
      await control(emu).send("PATCH", "settings", { requireHttpsHandlers: false });
    }
  });

  it("refuses a second binding of the same handler", async () => {
    const params = { PLACEMENT: "CRM_DEAL_LIST_MENU", HANDLER };
    expect((await asApp("placement.bind", params)).body.result).toBe(true);
    expectError(
      await asApp("placement.bind", params),
      400,
      "ERROR_CORE",
      "Unable to set placement handler: Handler already binded",
    );
    // Another handler in the same place is fine (two deal list items).
    expect((await asApp("placement.bind", { ...params, HANDLER: `${HANDLER}2` })).body.result).toBe(true);
  });

  it("allows one REST_APP_URI and one PAGE_BACKGROUND_WORKER per app", async () => {
    expect((await asApp("placement.bind", { PLACEMENT: "REST_APP_URI", HANDLER })).body.result).toBe(true);
    expectError(
      await asApp("placement.bind", { PLACEMENT: "REST_APP_URI", HANDLER: `${HANDLER}other` }),
      200,
      "ERROR_PLACEMENT_MAX_COUNT",
      "Placement max count: 1",
    );

    const missing = await asApp("placement.bind", { PLACEMENT: "PAGE_BACKGROUND_WORKER", HANDLER });
    // Returned by the placement's register callback as a result: status 200 (docs/protocol.md §8.1, docs table).
    expect(missing.status).toBe(200);
    expect(missing.body).toMatchObject({
      error: "EMPTY_ERROR_HANDLER_URL",
      error_description: "Field errorHandlerUrl is empty.",
    });
    const worker = {
      PLACEMENT: "PAGE_BACKGROUND_WORKER",
      HANDLER: `${HANDLER}worker`,
      OPTIONS: { errorHandlerUrl: `${HANDLER}error`, ignored: "x" },
    };
    expect((await asApp("placement.bind", worker)).body.result).toBe(true);
    expectError(
      await asApp("placement.bind", { ...worker, HANDLER: `${HANDLER}worker2`, USER_ID: 1 }),
      200,
      "ERROR_PLACEMENT_MAX_COUNT",
    );
    const rows = (await asApp("placement.get")).body.result as Array<Record<string, unknown>>;
    expect(rows.find((p) => p.placement === "PAGE_BACKGROUND_WORKER")?.options).toEqual({
      errorHandlerUrl: `${HANDLER}error`,
    });
  });

  it("accepts USER_ID only for PAGE_BACKGROUND_WORKER", async () => {
    expectError(
      await asApp("placement.bind", { PLACEMENT: "CRM_QUOTE_DETAIL_TAB", HANDLER, USER_ID: 1 }),
      200,
      "ERROR_PLACEMENT_USER_MODE",
      "User mode is not available.",
    );
  });

  it("unbinds one handler or all of a placement, counting as the portal does", async () => {
    await asApp("placement.bind", { PLACEMENT: "CRM_COMPANY_LIST_MENU", HANDLER: `${HANDLER}a` });
    await asApp("placement.bind", { PLACEMENT: "CRM_COMPANY_LIST_MENU", HANDLER: `${HANDLER}b` });
    await asApp("placement.bind", { PLACEMENT: "CRM_COMPANY_LIST_MENU", HANDLER: `${HANDLER}c` });
    // Each removed row counts twice (found + deleted), §8.1.
    expect(
      (await asApp("placement.unbind", { PLACEMENT: "CRM_COMPANY_LIST_MENU", HANDLER: `${HANDLER}a` })).body,
    ).toMatchObject({
      result: { count: 2 },
    });
    expect((await asApp("placement.unbind", { PLACEMENT: "crm_company_list_menu" })).body.result).toEqual({
      count: 4,
    });
    expect((await asApp("placement.unbind", { PLACEMENT: "CRM_COMPANY_LIST_MENU" })).body.result).toEqual({
      count: 0,
    });
    expect((await asApp("placement.unbind", { PLACEMENT: "CALL_LIST" })).body.result).toEqual({ count: 0 });
    const rows = (await asApp("placement.get")).body.result as Array<Record<string, unknown>>;
    expect(rows.some((p) => p.placement === "CRM_COMPANY_LIST_MENU")).toBe(false);
  });

  it("lists the codes available to the app; SCOPE and FULL widen or narrow", async () => {
    const list = (await asApp("placement.list")).body.result as string[];
    expect(list).toEqual(
      expect.arrayContaining([
        "CRM_DEAL_DETAIL_TAB",
        "CRM_DYNAMIC_1038_DETAIL_TAB",
        "CRM_DYNAMIC_1038_LIST_TOOLBAR",
        "CRM_SMART_INVOICE_FUNNELS_TOOLBAR",
        "CRM_FUNNELS_TOOLBAR",
        "TASK_VIEW_TAB",
        "TASK_VIEW_SIDEBAR",
        "TASK_VIEW_TOP_PANEL",
        "TASK_LIST_CONTEXT_MENU",
        "TASK_USER_LIST_TOOLBAR",
        "USER_PROFILE_MENU",
        "USER_PROFILE_TOOLBAR",
        "LEFT_MENU",
        "IM_TEXTAREA",
        "PAGE_BACKGROUND_WORKER",
        "REST_APP_URI",
      ]),
    );
    for (const absent of [
      "CALL_CARD",
      "CALL_LIST",
      "TASKS_TASK_VIEW_TAB",
      "CRM_ORDER_DETAIL_TOOLBAR",
      "DEFAULT",
    ]) {
      expect(list).not.toContain(absent);
    }
    const telephony = (await asApp("placement.list", { SCOPE: "telephony" })).body.result as string[];
    expect(telephony.sort()).toEqual(["CALL_CARD", "TELEPHONY_ANALYTICS_MENU"]);
    const full = (await asApp("placement.list", { FULL: true })).body.result as string[];
    expect(full).toEqual(
      expect.arrayContaining(["CALL_CARD", "CALENDAR_GRIDVIEW", "CONTACT_CENTER", "SONET_GROUP_DETAIL_TAB"]),
    );
    const bare = (await as(bareAuth, "placement.list")).body.result as string[];
    expect(bare).toContain("LEFT_MENU");
    expect(bare).not.toContain("CRM_DEAL_DETAIL_TAB");
  });

  it("drops placements of switched-off modules", async () => {
    await control(emu).send("PATCH", `portals/${memberId}`, { modules: ["disk", "im", "telephony", "crm"] });
    try {
      expectError(
        await asApp("placement.bind", { PLACEMENT: "TASK_VIEW_SIDEBAR", HANDLER }),
        400,
        "ERROR_PLACEMENT_NOT_FOUND",
      );
      expect((await asApp("placement.list")).body.result).not.toContain("TASK_VIEW_SIDEBAR");
    } finally {
      await control(emu).send("PATCH", `portals/${memberId}`, {
        modules: ["crm", "tasks", "disk", "im", "telephony"],
      });
    }
  });

  it("builds PLACEMENT_OPTIONS as the handler receives them", () => {
    expect(buildPlacementOptions("CRM_DEAL_DETAIL_TAB", { ID: 8061 }, "/crm/deal/details/8061/")).toEqual({
      ID: "8061",
      URI: "/crm/deal/details/8061/",
    });
    expect(
      buildPlacementOptions(
        "CALL_CARD",
        { CALL_LIST_MODE: false, CRM_BINDINGS: [{ ID: 5 }], CRM_ENTITY_ID: null },
        undefined,
      ),
    ).toEqual({ CALL_LIST_MODE: "false", CRM_BINDINGS: [{ ID: "5" }], CRM_ENTITY_ID: "" });
    expect(encodePlacementOptions("CRM_DEAL_DETAIL_TAB", { ID: "8061" }, "/crm/deal/details/8061/")).toBe(
      '{"ID":"8061","URI":"\\/crm\\/deal\\/details\\/8061\\/"}',
    );
    const portal = emu.world.portal(memberId)!;
    expect(findPlacement(portal, "CRM_DYNAMIC_1038_DETAIL_TAB")).toMatchObject({
      scope: "crm",
      entityTypeId: 1038,
    });
    expect(findPlacement(portal, "REST_APP_URI")).toMatchObject({ single: true, scope: "placement" });
    expect(findPlacement(portal, "CALL_LIST")).toBeUndefined();
  });
});
