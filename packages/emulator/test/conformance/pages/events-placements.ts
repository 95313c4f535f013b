import { control, userToken } from "@b24kit/emulator/testing";
import { expect } from "vitest";
import type { MethodPage, PageContext } from "../page-fixture.js";

/*
 * Pages of api-reference/events (event.*, events) and api-reference/widgets (placement.*).
 * Every one of these methods works in an application's context only, so the examples run
 * as an OAuth app; "a non-administrator" is a second employee opening the same app.
 */

/** The app the event pages' examples run in: ONCRMLEADADD needs the `crm` scope. */
const EVENT_APP = { app: ["crm"] };
/** The app the placement pages' examples run in: `placement` plus `crm` for CRM placements. */
const PLACEMENT_APP = { app: ["placement", "crm"] };

const HANDLER = "https://www.my-domain.com/handler/";
const ADMIN_ID = 1;

/** A non-administrator employee's token of the app installed for `scopes` (ctx.vars.memberToken). */
const memberOf = (scopes: string[]) => async (ctx: PageContext) => {
  const { clientId } = await ctx.app(scopes);
  const { user } = await control(ctx.emu).addUser(ctx.portal.memberId, { NAME: "Employee" });
  ctx.vars.memberId = user.ID;
  ctx.vars.memberToken = (await userToken(ctx.emu, ctx.portal.memberId, clientId, user.ID)).access_token;
};

/** Binds `events` offline for the event app (optionally under `connector`), then fires each by the admin's webhook. */
async function queueOfflineEvents(
  ctx: PageContext,
  events: Array<{ event: string; add: string; fields: Record<string, unknown> }>,
  connector?: string,
) {
  for (const { event } of events) {
    const bound = await ctx.call(
      "event.bind",
      { event, event_type: "offline", ...(connector ? { auth_connector: connector } : {}) },
      EVENT_APP,
    );
    expect(bound.body.result, JSON.stringify(bound.body)).toBe(true);
  }
  for (const { add, fields } of events) {
    const added = await ctx.call(add, { fields });
    expect(added.body.result, JSON.stringify(added.body)).toEqual(expect.any(Number));
  }
}

const LEAD_ADDED = { event: "ONCRMLEADADD", add: "crm.lead.add", fields: { TITLE: "Lead" } };
const COMPANY_ADDED = { event: "ONCRMCOMPANYADD", add: "crm.company.add", fields: { TITLE: "Company" } };

/** Reserves the queue with `clear=0` (event.offline.get) and keeps its process and rows in ctx.vars. */
async function reserveQueue(ctx: PageContext) {
  const reserved = await ctx.call("event.offline.get", { clear: 0 }, EVENT_APP);
  expect(reserved.body.result?.events?.length, JSON.stringify(reserved.body)).toBeGreaterThan(0);
  ctx.vars.processId = reserved.body.result.process_id;
  ctx.vars.reserved = reserved.body.result.events;
}

/** One offline-queue row as event.offline.get shows it (event-offline-get.md's example). */
const OFFLINE_GET_ROW = {
  ID: "digits",
  TIMESTAMP_X: "datetime",
  EVENT_NAME: "string",
  // The example shows `false`; the page's typed snippet declares both `unknown` (the event's data when it has some).
  EVENT_DATA: "boolean|object",
  EVENT_ADDITIONAL: "boolean|object",
  MESSAGE_ID: "digits",
};

/** One row as event.offline.list shows it: the same plus the reservation columns (event-offline-list.md). */
const OFFLINE_LIST_ROW = { ...OFFLINE_GET_ROW, PROCESS_ID: "string", ERROR: "digits" };

const LANG_ENTRY = { TITLE: "string", DESCRIPTION: "string", GROUP_NAME: "string" };

const WRONG_AUTH_TYPE = "Current authorization type is denied for this method Application context required";

export const eventPlacementPages: MethodPage[] = [
  {
    method: "event.bind",
    page: "api-reference/events/event-bind.md",
    scope: "basic",
    parameters: [
      { name: "event", required: true },
      { name: "handler", required: true },
      { name: "auth_type" },
      { name: "event_type" },
      { name: "auth_connector" },
      { name: "options" },
    ],
    setup: memberOf(EVENT_APP.app),
    calls: [
      {
        title: "cURL example",
        as: EVENT_APP,
        params: { event: "ONCRMLEADADD", handler: HANDLER },
        result: "boolean",
      },
      {
        title: "with auth_type (the JS example)",
        as: EVENT_APP,
        params: { event: "ONCRMLEADADD", handler: HANDLER, auth_type: 15 },
        result: "boolean",
        check: (result) => expect(result).toBe(true),
      },
    ],
    errors: [
      {
        when: "the event is incorrectly specified",
        status: 400,
        error: "ERROR_EVENT_NOT_FOUND",
        description: "Event not found",
        as: EVENT_APP,
        params: { event: "ONNOSUCHEVENT", handler: HANDLER },
      },
      {
        when: "a non-administrator registers an offline event handler",
        status: 403,
        error: "ACCESS_DENIED",
        description: "Access denied! Offline events binding requires administrator access rights",
        as: EVENT_APP,
        params: (ctx) => ({ event: "ONCRMLEADADD", event_type: "offline", auth: ctx.vars.memberToken }),
      },
      {
        when: "a non-administrator gives the auth_type of another user",
        status: 403,
        error: "ACCESS_DENIED",
        description: "Access denied! Event binding with AUTH_TYPE requires administrator access rights",
        as: EVENT_APP,
        params: (ctx) => ({
          event: "ONCRMLEADADD",
          handler: HANDLER,
          auth_type: ADMIN_ID,
          auth: ctx.vars.memberToken,
        }),
      },
    ],
  },
  {
    method: "event.get",
    page: "api-reference/events/event-get.md",
    scope: "basic",
    parameters: [],
    setup: async (ctx) => {
      // The example lists one handler bound without a user and one bound for user 15.
      for (const auth_type of [0, 15])
        await ctx.call("event.bind", { event: "ONCRMLEADADD", handler: HANDLER, auth_type }, EVENT_APP);
    },
    calls: [
      {
        as: EVENT_APP,
        params: {},
        result: [{ event: "string", handler: "string", auth_type: "digits", offline: "number" }],
        check: (result) =>
          expect(result).toEqual([
            { event: "ONCRMLEADADD", handler: HANDLER, auth_type: "0", offline: 0 },
            { event: "ONCRMLEADADD", handler: HANDLER, auth_type: "15", offline: 0 },
          ]),
      },
    ],
  },
  {
    method: "event.unbind",
    page: "api-reference/events/event-unbind.md",
    scope: "basic",
    // The table marks event and handler required; its closing sentence ("If no parameters are specified,
    // all event handlers … will be deleted") speaks of the optional ones — the table wins.
    parameters: [
      { name: "event", required: true },
      { name: "handler", required: true },
      { name: "auth_type" },
      { name: "event_type" },
    ],
    setup: async (ctx) => {
      await ctx.call("event.bind", { event: "ONCRMLEADADD", handler: HANDLER }, EVENT_APP);
      await memberOf(EVENT_APP.app)(ctx);
    },
    calls: [
      {
        as: EVENT_APP,
        params: { event: "ONCRMLEADADD", handler: HANDLER },
        result: { count: "number" },
        check: (result) => expect(result).toEqual({ count: 1 }),
      },
    ],
    errors: [
      {
        when: "a non-administrator removes an offline event handler",
        status: 403,
        error: "ACCESS_DENIED",
        description: "Access denied! Offline events unbinding requires administrator access rights",
        as: EVENT_APP,
        params: (ctx) => ({ event: "ONCRMLEADADD", event_type: "offline", auth: ctx.vars.memberToken }),
      },
      {
        when: "a non-administrator gives the auth_type of another user",
        status: 403,
        error: "ACCESS_DENIED",
        description: "Access denied! Event unbinding with AUTH_TYPE requires administrator access rights",
        as: EVENT_APP,
        params: (ctx) => ({
          event: "ONCRMLEADADD",
          handler: HANDLER,
          auth_type: ADMIN_ID,
          auth: ctx.vars.memberToken,
        }),
      },
    ],
  },
  {
    method: "events",
    page: "api-reference/events/events.md",
    scope: "basic",
    parameters: [{ name: "SCOPE" }, { name: "FULL" }],
    calls: [
      {
        title: "SCOPE=user (example 1)",
        as: EVENT_APP,
        params: { SCOPE: "user" },
        result: ["string"],
        // ONUSERADD is the `user` event of the page's list.
        check: (result) => expect(result).toContain("ONUSERADD"),
      },
      {
        title: "FULL=true (example 2)",
        as: EVENT_APP,
        params: { FULL: true },
        result: ["string"],
        check: (result) =>
          expect(result).toEqual(
            expect.arrayContaining(["ONAPPTEST", "ONCRMLEADADD", "ONTASKADD", "ONUSERADD"]),
          ),
      },
    ],
  },
  {
    method: "event.offline.get",
    page: "api-reference/events/event-offline-get.md",
    scope: "basic",
    parameters: [
      { name: "filter" },
      { name: "order" },
      { name: "limit" },
      { name: "clear" },
      { name: "process_id" },
      { name: "auth_connector" },
      { name: "error" },
    ],
    setup: async (ctx) => {
      await queueOfflineEvents(ctx, [LEAD_ADDED], "BxTest");
      const listed = await ctx.call("event.offline.list", { auth_connector: "BxTest" }, EVENT_APP);
      ctx.vars.messageId = listed.body.result[0].MESSAGE_ID;
      await memberOf(EVENT_APP.app)(ctx);
    },
    calls: [
      {
        // The example filters on MESSAGE_ID 1: here, the message id the queued row has.
        as: EVENT_APP,
        params: (ctx) => ({
          filter: { "=MESSAGE_ID": ctx.vars.messageId, "=EVENT_NAME": "ONCRMLEADADD", ">=ID": 1 },
          auth_connector: "BxTest",
        }),
        result: { process_id: "null", events: [OFFLINE_GET_ROW] },
        check: (result) => expect(result.events).toHaveLength(1),
      },
    ],
    errors: [
      {
        when: "a non-administrator calls it",
        status: 403,
        error: "ACCESS_DENIED",
        description: "Access denied!",
        as: EVENT_APP,
        params: (ctx) => ({ auth: ctx.vars.memberToken }),
      },
    ],
  },
  {
    method: "event.offline.list",
    page: "api-reference/events/event-offline-list.md",
    scope: "basic",
    parameters: [{ name: "filter" }, { name: "order" }, { name: "start" }, { name: "auth_connector" }],
    setup: async (ctx) => {
      await queueOfflineEvents(ctx, [LEAD_ADDED, COMPANY_ADDED]);
      await memberOf(EVENT_APP.app)(ctx);
    },
    calls: [
      {
        as: EVENT_APP,
        params: { filter: { ERROR: 0 }, order: { ID: "DESC" } },
        result: [OFFLINE_LIST_ROW],
        envelope: { total: "number" },
        check: (result) =>
          expect(result.map((row: { EVENT_NAME: string }) => row.EVENT_NAME)).toEqual([
            "ONCRMCOMPANYADD",
            "ONCRMLEADADD",
          ]),
      },
    ],
    errors: [
      {
        when: "a non-administrator calls it",
        status: 403,
        error: "ACCESS_DENIED",
        description: "Access denied!",
        as: EVENT_APP,
        params: (ctx) => ({ auth: ctx.vars.memberToken }),
      },
    ],
  },
  {
    method: "event.offline.clear",
    page: "api-reference/events/event-offline-clear.md",
    scope: "basic",
    parameters: [{ name: "process_id", required: true }, { name: "id" }, { name: "message_id" }],
    setup: async (ctx) => {
      await queueOfflineEvents(ctx, [LEAD_ADDED, COMPANY_ADDED]);
      await reserveQueue(ctx);
      await memberOf(EVENT_APP.app)(ctx);
    },
    calls: [
      {
        // The example clears record 2 of its process: here, the second reserved row.
        as: EVENT_APP,
        params: (ctx) => ({
          process_id: ctx.vars.processId,
          id: [Number((ctx.vars.reserved as Array<{ ID: string }>)[1]?.ID)],
        }),
        result: "boolean",
        check: async (result, ctx) => {
          expect(result).toBe(true);
          const left = await ctx.call("event.offline.list", {}, EVENT_APP);
          const reserved = ctx.vars.reserved as Array<{ ID: string }>;
          expect(left.body.result.map((row: { ID: string }) => row.ID)).toEqual([reserved[0]?.ID]);
        },
      },
    ],
    errors: [
      {
        when: "a non-administrator calls it",
        status: 403,
        error: "ACCESS_DENIED",
        description: "Access denied!",
        as: EVENT_APP,
        params: (ctx) => ({ process_id: ctx.vars.processId, auth: ctx.vars.memberToken }),
      },
    ],
  },
  {
    method: "event.offline.error",
    page: "api-reference/events/event-offline-error.md",
    scope: "basic",
    parameters: [{ name: "process_id", required: true }, { name: "message_id" }],
    setup: async (ctx) => {
      await queueOfflineEvents(ctx, [LEAD_ADDED, COMPANY_ADDED]);
      await reserveQueue(ctx);
      await memberOf(EVENT_APP.app)(ctx);
    },
    calls: [
      {
        // The example marks message 2 of its process: here, the second reserved row's message.
        as: EVENT_APP,
        params: (ctx) => ({
          process_id: ctx.vars.processId,
          message_id: [(ctx.vars.reserved as Array<{ MESSAGE_ID: string }>)[1]?.MESSAGE_ID],
        }),
        result: "boolean",
        check: async (result, ctx) => {
          expect(result).toBe(true);
          const marked = await ctx.call("event.offline.list", { filter: { ERROR: 1 } }, EVENT_APP);
          const reserved = ctx.vars.reserved as Array<{ ID: string }>;
          expect(marked.body.result.map((row: { ID: string }) => row.ID)).toEqual([reserved[1]?.ID]);
        },
      },
    ],
    errors: [
      {
        when: "a non-administrator calls it",
        status: 403,
        error: "ACCESS_DENIED",
        description: "Access denied!",
        as: EVENT_APP,
        params: (ctx) => ({ process_id: ctx.vars.processId, message_id: ["1"], auth: ctx.vars.memberToken }),
      },
    ],
  },
  {
    method: "placement.bind",
    page: "api-reference/widgets/placement-bind.md",
    scope: "placement",
    // PLACEMENT and HANDLER are required, but the page's error table answers their absence with
    // status 200 (ERROR_ARGUMENT below), which the runner's ">= 400" check of required parameters
    // cannot express: they are listed without `required` and checked as errors instead.
    parameters: [
      { name: "PLACEMENT" },
      { name: "HANDLER" },
      { name: "TITLE" },
      { name: "DESCRIPTION" },
      { name: "GROUP_NAME" },
      { name: "LANG_ALL" },
      { name: "OPTIONS" },
      { name: "USER_ID" },
    ],
    setup: async (ctx) => {
      await ctx.call(
        "placement.bind",
        { PLACEMENT: "REST_APP_URI", HANDLER: "https://myapp.com/uri/" },
        PLACEMENT_APP,
      );
    },
    calls: [
      {
        // The example's PLACEMENT_CODE stands for a code; its OPTIONS[errorHandlerUrl] is PAGE_BACKGROUND_WORKER's.
        as: PLACEMENT_APP,
        params: {
          PLACEMENT: "PAGE_BACKGROUND_WORKER",
          HANDLER: "http://myapp.com/handler/?type=1",
          OPTIONS: { errorHandlerUrl: "http://myapp.com/error/" },
          TITLE: "title",
          DESCRIPTION: "description",
          GROUP_NAME: "group",
          LANG_ALL: {
            en: { TITLE: "title", DESCRIPTION: "description", GROUP_NAME: "group" },
            de: { TITLE: "Titel", DESCRIPTION: "Beschreibung", GROUP_NAME: "Gruppe" },
          },
        },
        result: "boolean",
        check: (result) => expect(result).toBe(true),
      },
    ],
    errors: [
      {
        when: "PLACEMENT is missing",
        status: 200,
        error: "ERROR_ARGUMENT",
        description: "Argument 'PLACEMENT' is null or empty",
        as: PLACEMENT_APP,
        params: { HANDLER: "https://myapp.com/other/" },
      },
      {
        when: "HANDLER is missing",
        status: 200,
        error: "ERROR_ARGUMENT",
        as: PLACEMENT_APP,
        params: { PLACEMENT: "CRM_DEAL_LIST_TOOLBAR" },
      },
      {
        when: "a second handler of a single-registration placement (REST_APP_URI)",
        status: 200,
        error: "ERROR_PLACEMENT_MAX_COUNT",
        as: PLACEMENT_APP,
        params: { PLACEMENT: "REST_APP_URI", HANDLER: "https://myapp.com/uri2/" },
      },
      {
        when: "USER_ID for a placement without per-user registration",
        status: 200,
        error: "ERROR_PLACEMENT_USER_MODE",
        description: "User mode is not available",
        as: PLACEMENT_APP,
        params: { PLACEMENT: "CRM_DEAL_LIST_TOOLBAR", HANDLER: "https://myapp.com/user/", USER_ID: ADMIN_ID },
      },
      {
        // Its own app: the example's binding would otherwise answer ERROR_PLACEMENT_MAX_COUNT first.
        when: "PAGE_BACKGROUND_WORKER without OPTIONS[errorHandlerUrl]",
        status: 200,
        error: "EMPTY_ERROR_HANDLER_URL",
        as: { app: ["placement"] },
        params: { PLACEMENT: "PAGE_BACKGROUND_WORKER", HANDLER: "https://myapp.com/worker/" },
      },
      {
        when: "called outside an application (an incoming webhook)",
        status: 403,
        error: "WRONG_AUTH_TYPE",
        description: WRONG_AUTH_TYPE,
        params: { PLACEMENT: "CRM_DEAL_LIST_TOOLBAR", HANDLER: "https://myapp.com/hook/" },
      },
    ],
  },
  {
    method: "placement.get",
    page: "api-reference/widgets/placement-get.md",
    scope: "placement",
    parameters: [],
    setup: async (ctx) => {
      // The example's kinds of binding: a CRM toolbar item (no options), a messenger menu item
      // (its options) and a background worker of user 1, each titled through LANG_ALL[de].
      const bind = (params: Record<string, unknown>, title: string, group = "") =>
        ctx.call(
          "placement.bind",
          { ...params, LANG_ALL: { de: { TITLE: title, DESCRIPTION: "", GROUP_NAME: group } } },
          PLACEMENT_APP,
        );
      await bind(
        { PLACEMENT: "CRM_DEAL_LIST_TOOLBAR", HANDLER: "https://myapp.com/?handler=1" },
        "Add invoice",
        "Documents",
      );
      await bind(
        {
          PLACEMENT: "IM_CONTEXT_MENU",
          HANDLER: "https://myapp.com/?handler=2",
          OPTIONS: { extranet: "N", context: "ALL", role: "USER" },
        },
        "My App 1",
      );
      await bind(
        {
          PLACEMENT: "PAGE_BACKGROUND_WORKER",
          HANDLER: "https://myapp.com/?handler=3",
          OPTIONS: { errorHandlerUrl: "https://myapp.com/?handler=3" },
          USER_ID: ADMIN_ID,
        },
        "My App 2",
      );
    },
    calls: [
      {
        as: PLACEMENT_APP,
        params: {},
        result: [
          {
            placement: "string",
            userId: "number",
            handler: "string",
            // `[]` when the placement keeps no options, an object otherwise (the example shows both).
            options: "array|object",
            title: "string",
            description: "string",
            langAll: { de: LANG_ENTRY },
          },
        ],
        check: (result) => {
          expect(result.map((b: { placement: string }) => b.placement)).toEqual([
            "CRM_DEAL_LIST_TOOLBAR",
            "IM_CONTEXT_MENU",
            "PAGE_BACKGROUND_WORKER",
          ]);
          expect(result[0]).toMatchObject({ userId: 0, options: [], title: "Add invoice" });
          expect(result[2]).toMatchObject({
            userId: ADMIN_ID,
            options: { errorHandlerUrl: "https://myapp.com/?handler=3" },
          });
        },
      },
    ],
    errors: [
      {
        // The page's message has a full stop after "method"; the other placement pages have none.
        when: "called outside an application (an incoming webhook)",
        status: 403,
        error: "WRONG_AUTH_TYPE",
        description: "Application context required",
        params: {},
      },
    ],
  },
  {
    method: "placement.list",
    page: "api-reference/widgets/placement-list.md",
    scope: "placement",
    parameters: [{ name: "SCOPE" }, { name: "FULL" }],
    calls: [
      {
        as: PLACEMENT_APP,
        params: { SCOPE: "crm" },
        result: ["string"],
        check: (result) => {
          expect(result).toEqual(
            expect.arrayContaining(["CRM_DEAL_LIST_TOOLBAR", "CRM_LEAD_ACTIVITY_TIMELINE_MENU"]),
          );
          expect(result).not.toContain("IM_CONTEXT_MENU");
        },
      },
    ],
    errors: [
      {
        when: "called outside an application (an incoming webhook)",
        status: 403,
        error: "WRONG_AUTH_TYPE",
        description: WRONG_AUTH_TYPE,
        params: { SCOPE: "crm" },
      },
    ],
  },
  {
    method: "placement.unbind",
    page: "api-reference/widgets/placement-unbind.md",
    scope: "placement",
    parameters: [{ name: "PLACEMENT", required: true }, { name: "HANDLER" }, { name: "USER_ID" }],
    setup: async (ctx) => {
      await ctx.call(
        "placement.bind",
        { PLACEMENT: "CRM_LEAD_DETAIL_TAB", HANDLER: "https://www.myapplicationhost.com/placement/" },
        PLACEMENT_APP,
      );
      await memberOf(PLACEMENT_APP.app)(ctx);
    },
    calls: [
      {
        as: PLACEMENT_APP,
        params: { PLACEMENT: "CRM_LEAD_DETAIL_TAB", HANDLER: "https://www.myapplicationhost.com/placement/" },
        result: { count: "number" },
        // One handler removed: counted once when found and once when deleted (the returned-data table).
        check: (result) => expect(result).toEqual({ count: 2 }),
      },
    ],
    errors: [
      {
        when: "called outside an application (an incoming webhook)",
        status: 403,
        error: "WRONG_AUTH_TYPE",
        description: WRONG_AUTH_TYPE,
        params: { PLACEMENT: "CRM_LEAD_DETAIL_TAB" },
      },
      {
        when: "the user is not an administrator",
        status: 403,
        error: "ACCESS_DENIED",
        description: "Access denied!",
        as: PLACEMENT_APP,
        params: (ctx) => ({ PLACEMENT: "CRM_LEAD_DETAIL_TAB", auth: ctx.vars.memberToken }),
      },
      {
        when: "PLACEMENT is empty",
        status: 400,
        error: "ERROR_ARGUMENT",
        description: "Argument 'PLACEMENT' is null or empty",
        as: PLACEMENT_APP,
        params: { PLACEMENT: "" },
      },
      {
        when: "PLACEMENT is not a string",
        status: 400,
        error: "ERROR_ARGUMENT",
        description: "The value of an argument 'PLACEMENT' must be of type string",
        as: PLACEMENT_APP,
        params: { PLACEMENT: ["CRM_LEAD_DETAIL_TAB"] },
      },
    ],
  },
  {
    method: "event.test",
    page: "api-reference/events/test-handler.md",
    scope: "basic",
    parameters: [],
    setup: async (ctx) => {
      // Nothing listens on port 9: the delivery fails, and the portal's delivery log still shows what was sent.
      await ctx.call(
        "event.bind",
        { event: "ONAPPTEST", handler: "http://127.0.0.1:9/test-handler" },
        EVENT_APP,
      );
    },
    calls: [
      {
        as: EVENT_APP,
        params: { any: "data" },
        result: "number",
        check: async (result, ctx) => {
          expect(result).toBe(1);
          const api = control(ctx.emu);
          await api.request("POST", "events/idle");
          const { deliveries } = await api.request<{ deliveries: Array<{ body: string }> }>(
            "GET",
            `portals/${ctx.portal.memberId}/deliveries?event=ONAPPTEST`,
          );
          // The POST as the handler gets it (form-encoded, PHP bracket keys).
          const form = new URLSearchParams(deliveries[0]?.body ?? "");
          expect(form.get("event")).toBe("ONAPPTEST");
          expect(form.get("event_handler_id")).toMatch(/^\d+$/);
          expect(form.get("data[QUERY][any]")).toBe("data");
          expect(form.get("data[LANGUAGE_ID]")).toBe("en");
        },
      },
    ],
    errors: [
      {
        when: "called with an incoming webhook (application OAuth only)",
        status: 403,
        error: "WRONG_AUTH_TYPE",
        params: { any: "data" },
      },
    ],
  },
];
