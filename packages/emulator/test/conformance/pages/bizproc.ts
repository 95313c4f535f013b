import { control, handlerServer } from "@b24kit/emulator/testing";
import type { Caller, MethodPage, PageContext } from "../page-fixture.js";

/*
 * Automation robots (api-reference/bizproc/bizproc-robot/): registered by an installed app
 * as an administrator; bizproc.event.send answers a robot's POST with its token.
 */

const ROBOT_APP: Caller = { app: ["bizproc", "crm"] };
/** A user's webhook: not an administrator. */
const NOT_ADMIN: Caller = { user: ["bizproc"] };

/** The add page's example, with a handler on a host the emulator accepts. */
const EXAMPLE = {
  CODE: "test_robot",
  HANDLER: "https://app.example/robot.php",
  AUTH_USER_ID: 1,
  USE_SUBSCRIPTION: "Y",
  NAME: "Send Message",
  PROPERTIES: {
    datetime: { Name: "When", Type: "datetime" },
    text: { Name: "Text", Type: "text" },
    user: { Name: "To", Type: "user", Default: "Author;" },
  },
  FILTER: {
    INCLUDE: [
      ["crm", "CCrmDocumentDeal"],
      ["crm", "CCrmDocumentLead"],
    ],
  },
};

const addRobot = (ctx: PageContext, code: string) =>
  ctx.call("bizproc.robot.add", { ...EXAMPLE, CODE: code }, ROBOT_APP);

const robotAdd: MethodPage = {
  method: "bizproc.robot.add",
  page: "api-reference/bizproc/bizproc-robot/bizproc-robot-add.md",
  scope: "bizproc",
  parameters: [
    { name: "CODE", required: true },
    { name: "HANDLER", required: true },
    { name: "NAME", required: true },
    { name: "AUTH_USER_ID" },
    { name: "USE_SUBSCRIPTION" },
    { name: "DESCRIPTION" },
    { name: "PROPERTIES" },
    { name: "RETURN_PROPERTIES" },
    { name: "DOCUMENT_TYPE" },
    { name: "FILTER" },
    { name: "USE_PLACEMENT" },
    { name: "PLACEMENT_HANDLER" },
  ],
  setup: async (ctx) => {
    await addRobot(ctx, "taken");
  },
  calls: [{ as: ROBOT_APP, params: EXAMPLE, result: "boolean" }],
  errors: [
    {
      when: "the app already has a robot with this CODE",
      status: 400,
      error: "ERROR_ACTIVITY_ALREADY_INSTALLED",
      as: ROBOT_APP,
      params: { ...EXAMPLE, CODE: "taken" },
    },
    {
      when: "CODE has characters outside a-z A-Z 0-9 . - _",
      status: 400,
      error: "ERROR_ACTIVITY_VALIDATION_FAILURE",
      description: "Wrong activity code!",
      as: ROBOT_APP,
      params: { ...EXAMPLE, CODE: "bad code" },
    },
    {
      when: "a property has no Name",
      status: 400,
      error: "ERROR_ACTIVITY_VALIDATION_FAILURE",
      description: "Empty property NAME text!",
      as: ROBOT_APP,
      params: { ...EXAMPLE, CODE: "no_name", PROPERTIES: { text: { Type: "text" } } },
    },
    {
      when: "HANDLER is neither http nor https",
      status: 400,
      error: "ERROR_UNSUPPORTED_PROTOCOL",
      as: ROBOT_APP,
      params: { ...EXAMPLE, CODE: "ftp", HANDLER: "ftp://app.example/robot" },
    },
    {
      when: "the caller is not an administrator",
      status: 403,
      error: "ACCESS_DENIED",
      as: NOT_ADMIN,
      params: { ...EXAMPLE, CODE: "by_user" },
    },
  ],
};

const robotUpdate: MethodPage = {
  method: "bizproc.robot.update",
  page: "api-reference/bizproc/bizproc-robot/bizproc-robot-update.md",
  scope: "bizproc",
  parameters: [
    { name: "CODE", required: true },
    { name: "FIELDS", required: true },
  ],
  setup: async (ctx) => {
    await addRobot(ctx, "test_robot");
  },
  calls: [
    {
      as: ROBOT_APP,
      params: {
        CODE: "test_robot",
        FIELDS: {
          NAME: "Send message to author",
          USE_SUBSCRIPTION: "N",
          FILTER: { INCLUDE: [["crm", "CCrmDocumentDeal"]] },
        },
      },
      result: "boolean",
    },
  ],
  errors: [
    {
      when: "no robot of the app has this CODE",
      status: 400,
      error: "ERROR_ACTIVITY_NOT_FOUND",
      as: ROBOT_APP,
      params: { CODE: "missing", FIELDS: { NAME: "x" } },
    },
    {
      when: "FIELDS is empty",
      status: 400,
      error: "ERROR_ACTIVITY_VALIDATION_FAILURE",
      description: "No fields to update",
      as: ROBOT_APP,
      params: { CODE: "test_robot", FIELDS: {} },
    },
  ],
};

const robotDelete: MethodPage = {
  method: "bizproc.robot.delete",
  page: "api-reference/bizproc/bizproc-robot/bizproc-robot-delete.md",
  scope: "bizproc",
  parameters: [{ name: "CODE", required: true }],
  setup: async (ctx) => {
    await addRobot(ctx, "test_robot");
  },
  calls: [{ as: ROBOT_APP, params: { CODE: "test_robot" }, result: "boolean" }],
  errors: [
    {
      when: "no robot of the app has this CODE",
      status: 400,
      error: "ERROR_ACTIVITY_NOT_FOUND",
      as: ROBOT_APP,
      params: { CODE: "never_added" },
    },
  ],
};

const robotList: MethodPage = {
  method: "bizproc.robot.list",
  page: "api-reference/bizproc/bizproc-robot/bizproc-robot-list.md",
  scope: "bizproc",
  parameters: [],
  setup: async (ctx) => {
    await addRobot(ctx, "test_robot");
    await addRobot(ctx, "sms_robot");
  },
  calls: [
    {
      as: ROBOT_APP,
      params: {},
      result: ["string"],
      check: (result) => {
        if (JSON.stringify(result) !== JSON.stringify(["test_robot", "sms_robot"]))
          throw new Error(`the app's codes, in order: ${JSON.stringify(result)}`);
      },
    },
  ],
  errors: [
    {
      when: "the caller is not an administrator",
      status: 403,
      error: "ACCESS_DENIED",
      as: NOT_ADMIN,
      params: {},
    },
  ],
};

/*
 * A robot at work needs a deal entering a stage with it: the setup registers one with a handler
 * that answers, places it on EXECUTING through the control API and creates a deal there.
 */
const eventSend: MethodPage = {
  method: "bizproc.event.send",
  page: "api-reference/bizproc/bizproc-robot/bizproc-event-send.md",
  scope: "bizproc",
  parameters: [{ name: "EVENT_TOKEN", required: true }, { name: "RETURN_VALUES" }, { name: "LOG_MESSAGE" }],
  setup: async (ctx) => {
    const handler = await handlerServer();
    try {
      await ctx.call(
        "bizproc.robot.add",
        {
          ...EXAMPLE,
          HANDLER: `${handler.url}robot`,
          RETURN_PROPERTIES: { outputString: { Name: "Output", Type: "string" } },
        },
        ROBOT_APP,
      );
      const { clientId } = await ctx.app(["bizproc", "crm"]);
      await control(ctx.emu).request("POST", `portals/${ctx.portal.memberId}/automation-rules`, {
        stageId: "EXECUTING",
        clientId,
        code: "test_robot",
      });
      await ctx.call("crm.deal.add", { fields: { TITLE: "Robot", STAGE_ID: "EXECUTING" } });
      const [post] = await handler.waitFor((r) => r.path === "/robot");
      ctx.vars.token = (post!.body as { event_token: string }).event_token;
    } finally {
      await handler.close();
    }
  },
  calls: [
    {
      as: ROBOT_APP,
      params: (ctx) => ({
        EVENT_TOKEN: ctx.vars.token,
        RETURN_VALUES: { outputString: "Hello" },
        LOG_MESSAGE: "OK",
      }),
      result: "boolean",
    },
  ],
  errors: [
    {
      when: "the token is invalid or expired",
      status: 403,
      error: "ACCESS_DENIED",
      as: ROBOT_APP,
      params: { EVENT_TOKEN: "55c1dc1c3f0d75.78875596|A51601_82584_96831_81132|hsyUws" },
    },
  ],
};

export const bizprocPages: MethodPage[] = [robotAdd, robotUpdate, robotDelete, robotList, eventSend];
