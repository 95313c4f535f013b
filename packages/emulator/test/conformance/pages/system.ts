import { expect } from "vitest";
import type { MethodPage, PageContext } from "../page-fixture.js";
import { TIME_SHAPE } from "../shape.js";

/** The OAuth app the option pages' examples run in (app.option.* and user.option.* need an app context). */
const APP = { app: ["crm"] };
const NON_ADMIN_APP_USER = async (ctx: PageContext) => {
  // A second employee opening the same app: the portal hands the app that user's token.
  const { clientId } = await ctx.app(APP.app);
  const { control, userToken } = await import("@b24kit/emulator/testing");
  const { user } = await control(ctx.emu).addUser(ctx.portal.memberId, { NAME: "Employee" });
  ctx.vars.employeeToken = (await userToken(ctx.emu, ctx.portal.memberId, clientId, user.ID)).access_token;
};

export const systemPages: MethodPage[] = [
  {
    method: "server.time",
    page: "api-reference/common/system/server-time.md",
    scope: "basic",
    parameters: [],
    calls: [{ params: {}, result: "datetime" }],
  },
  {
    method: "scope",
    page: "api-reference/common/system/scope.md",
    scope: "basic",
    parameters: [{ name: "full" }],
    calls: [
      {
        title: "without parameters: the caller's scopes",
        as: { app: ["crm", "user"] },
        params: {},
        result: ["string"],
        check: (result) => expect([...result].sort()).toEqual(["crm", "user"]),
      },
      {
        title: "full=true: every scope of the portal",
        as: { app: ["crm", "user"] },
        params: { full: true },
        result: ["string"],
        check: (result) =>
          expect(result).toEqual(expect.arrayContaining(["crm", "user", "task", "department"])),
      },
    ],
  },
  {
    method: "methods",
    page: "api-reference/common/system/methods.md",
    scope: "basic",
    parameters: [{ name: "full" }, { name: "scope" }],
    calls: [
      {
        title: "without parameters: the methods the caller may call",
        as: { app: ["user"] },
        params: {},
        result: ["string"],
        check: (result) => {
          expect(result).toEqual(expect.arrayContaining(["user.current", "user.get", "batch"]));
          expect(result).not.toContain("crm.deal.list");
        },
      },
      {
        title: "scope=user: the methods of that scope",
        params: { scope: "user" },
        result: ["string"],
        check: (result) => {
          // The page's example lists these for `user`.
          expect(result).toEqual(
            expect.arrayContaining(["user.fields", "user.current", "user.get", "user.search"]),
          );
          expect(result).not.toContain("crm.deal.list");
        },
      },
      {
        title: "full=true: every method",
        as: { app: ["user"] },
        params: { full: true },
        result: ["string"],
        check: (result) => expect(result).toEqual(expect.arrayContaining(["crm.deal.list", "user.get"])),
      },
    ],
  },
  {
    method: "method.get",
    page: "api-reference/common/system/method-get.md",
    scope: "basic",
    parameters: [{ name: "name" }],
    calls: [
      {
        title: "a method of a scope the app holds",
        as: { app: ["user"] },
        params: { name: "user.get" },
        result: { isExisting: "boolean", isAvailable: "boolean" },
        check: (result) => expect(result).toEqual({ isExisting: true, isAvailable: true }),
      },
      {
        title: "a real method outside the app's scopes",
        as: { app: ["user"] },
        params: { name: "crm.deal.list" },
        result: { isExisting: "boolean", isAvailable: "boolean" },
        check: (result) => expect(result).toEqual({ isExisting: true, isAvailable: false }),
      },
      {
        // "If the parameter is not provided or is empty, the method returns … false."
        title: "without a name",
        params: {},
        result: { isExisting: "boolean", isAvailable: "boolean" },
        check: (result) => expect(result).toEqual({ isExisting: false, isAvailable: false }),
      },
    ],
  },
  {
    method: "feature.get",
    page: "api-reference/common/system/feature-get.md",
    scope: "basic",
    parameters: [{ name: "CODE", required: true }],
    calls: [
      {
        params: { CODE: "rest_offline_extended" },
        result: { value: "Y/N" },
      },
    ],
    errors: [
      {
        when: "CODE is not given",
        status: 400,
        error: "CODE_EMPTY",
        description: "CODE can't be empty",
        params: {},
      },
    ],
  },
  {
    method: "app.info",
    page: "api-reference/common/system/app-info.md",
    scope: "basic",
    parameters: [],
    calls: [
      {
        as: APP,
        params: {},
        result: {
          ID: "number",
          CODE: "string",
          VERSION: "number",
          STATUS: "string",
          INSTALLED: "boolean",
          PAYMENT_EXPIRED: "Y/N",
          DAYS: "number|null",
          LANGUAGE_ID: "string",
          LICENSE: "string",
          LICENSE_TYPE: "string",
          LICENSE_FAMILY: "string",
        },
        check: (result) => expect(["F", "D", "T", "P", "L"]).toContain(result.STATUS),
      },
    ],
    errors: [
      {
        when: "called outside an application (an incoming webhook)",
        status: 400,
        error: "ACCESS_DENIED",
        description: "Application context required",
        params: {},
      },
    ],
  },
  {
    method: "app.option.set",
    page: "api-reference/common/settings/app-option-set.md",
    scope: "basic",
    parameters: [{ name: "options", required: true }],
    setup: NON_ADMIN_APP_USER,
    calls: [{ as: APP, params: { options: { data: "value", data2: "value2" } }, result: "boolean" }],
    errors: [
      {
        when: "options is empty",
        status: 400,
        error: "ArgumentNullException",
        description: "options is empty",
        as: APP,
        params: { options: {} },
      },
      {
        when: "called outside an application",
        status: 400,
        error: "AccessException",
        description: "Application context required",
        params: { options: { data: "value" } },
      },
      {
        when: "the user is not an administrator",
        status: 400,
        error: "AccessException",
        description: "Administrator authorization required",
        as: APP,
        params: (ctx) => ({ options: { data: "value" }, auth: ctx.vars.employeeToken }),
      },
    ],
  },
  {
    method: "app.option.get",
    page: "api-reference/common/settings/app-option-get.md",
    scope: "basic",
    parameters: [{ name: "option" }],
    setup: async (ctx) => {
      await ctx.call("app.option.set", { options: { data: "value", data2: "value2" } }, APP);
    },
    calls: [
      {
        title: "without option: every saved setting",
        as: APP,
        params: {},
        result: { data: "string", data2: "string" },
      },
      {
        title: "one key",
        as: APP,
        params: { option: "data" },
        result: "string",
        check: (result) => expect(result).toBe("value"),
      },
      {
        title: "a key never saved",
        as: APP,
        params: { option: "missing" },
        result: "null",
      },
    ],
    errors: [
      {
        when: "called outside an application",
        status: 400,
        error: "AccessException",
        description: "Application context required",
        params: {},
      },
    ],
  },
  {
    method: "user.option.set",
    page: "api-reference/common/settings/user-option-set.md",
    scope: "basic",
    parameters: [{ name: "options", required: true }],
    calls: [{ as: APP, params: { options: { data: "value", data2: "value2" } }, result: "boolean" }],
    errors: [
      {
        when: "options is empty",
        status: 400,
        error: "ArgumentNullException",
        description: "options is empty",
        as: APP,
        params: { options: {} },
      },
      {
        when: "called outside an application",
        status: 400,
        error: "AccessException",
        description: "Application context required",
        params: { options: { data: "value" } },
      },
    ],
  },
  {
    method: "user.option.get",
    page: "api-reference/common/settings/user-option-get.md",
    scope: "basic",
    parameters: [{ name: "option" }],
    setup: async (ctx) => {
      await ctx.call("user.option.set", { options: { data: "value", data2: "value2" } }, APP);
    },
    calls: [
      {
        title: "without option: every setting of the current user",
        as: APP,
        params: {},
        result: { data: "string", data2: "string" },
      },
      { title: "one key", as: APP, params: { option: "data2" }, result: "string" },
      { title: "a key never saved", as: APP, params: { option: "missing" }, result: "null" },
    ],
    errors: [
      {
        when: "called outside an application",
        status: 400,
        error: "AccessException",
        description: "Application context required",
        params: {},
      },
    ],
  },
  {
    method: "batch",
    page: "settings/how-to-call-rest-api/batch.md",
    scope: "basic",
    parameters: [
      {
        name: "cmd",
        required: true,
        // The page lists no error for it; the portal's batch runs what `cmd` holds, so none is nothing.
        acceptedWithout: "an empty batch, every result map empty",
      },
      { name: "halt" },
    ],
    calls: [
      {
        title: "linked calls",
        params: {
          halt: 0,
          cmd: {
            get_user: "user.current",
            get_department: "department.get?ID=$result[get_user][UF_DEPARTMENT][0]",
          },
        },
        result: {
          result: {
            get_user: { "...": "any", ID: "digits", UF_DEPARTMENT: ["number"] },
            get_department: [{ "...": "any", ID: "digits", NAME: "string" }],
          },
          result_error: "array|object",
          result_total: { get_department: "number" },
          result_next: "array|object",
          result_time: { get_user: TIME_SHAPE, get_department: TIME_SHAPE },
        },
        // The department referenced is the user's first one.
        check: (result) =>
          expect(result.result.get_department[0].ID).toBe(String(result.result.get_user.UF_DEPARTMENT[0])),
      },
      {
        title: "an error with halt = 0 lands in result_error, the request answers 200",
        as: { user: ["crm"] },
        params: { halt: 0, cmd: { get_user: "user.current", get_deals: "crm.deal.list" } },
        result: {
          result: { get_deals: "array" },
          result_error: { get_user: { error: "string", error_description: "string" } },
          result_total: { get_deals: "number" },
          result_next: "array|object",
          result_time: { get_deals: TIME_SHAPE },
        },
        check: (result) => expect(result.result_error.get_user.error).toBe("insufficient_scope"),
      },
    ],
  },
];
