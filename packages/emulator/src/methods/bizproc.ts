import { completeRobot } from "../automation/automation-engine.js";
import { newRobotFields, robotCode, updatedRobotFields } from "../automation/robot-input.js";
import {
  deleteRobot,
  insertRobot,
  replaceRobot,
  robotByCode,
  robotsOf,
} from "../automation/robot-records.js";
import type { CallContext, MethodDef } from "../calls/method-def.js";
import { asRecord, param } from "../calls/params.js";
import { Errors, RestError } from "../calls/rest-error.js";

/*
 * Automation robots (api-reference/bizproc/bizproc-robot/): an app registers
 * them, an admin places them on a stage (the portal's automation page), the
 * portal POSTs the robot's handler when a record enters that stage, and the
 * app answers with bizproc.event.send.
 */

/** The app a robot call acts for: robots are an app's, and a webhook has none. */
function appOf(ctx: CallContext): string {
  if (ctx.caller.kind === "oauth" && ctx.caller.clientId) return ctx.caller.clientId;
  throw Errors.accessDenied("Application context required");
}

const notFound = (text: string) => new RestError(400, "ERROR_ACTIVITY_NOT_FOUND", text);

const robotMethod = (name: string, run: MethodDef["run"]): MethodDef => ({
  name,
  scope: "bizproc",
  module: "bizproc",
  adminOnly: true,
  run,
});

export const bizprocMethods: MethodDef[] = [
  robotMethod("bizproc.robot.add", (ctx) => {
    const clientId = appOf(ctx);
    const code = robotCode(ctx.params);
    const fields = newRobotFields(ctx.params, ctx.world.settings.requireHttpsHandlers);
    if (robotByCode(ctx.portal, clientId, code))
      throw new RestError(
        400,
        "ERROR_ACTIVITY_ALREADY_INSTALLED",
        "Activity or Automation rule already installed!",
      );
    insertRobot(ctx.portal, { CLIENT_ID: clientId, CODE: code, ...fields });
    ctx.world.onChange();
    return { result: true };
  }),
  robotMethod("bizproc.robot.update", (ctx) => {
    const clientId = appOf(ctx);
    const code = robotCode(ctx.params);
    const robot = robotByCode(ctx.portal, clientId, code);
    if (!robot) throw notFound("Activity or Automation Rule not found!");
    const fields = updatedRobotFields(
      robot,
      param(ctx.params, "FIELDS"),
      ctx.world.settings.requireHttpsHandlers,
    );
    replaceRobot(ctx.portal, { ...robot, ...fields });
    ctx.world.onChange();
    return { result: true };
  }),
  robotMethod("bizproc.robot.delete", (ctx) => {
    const clientId = appOf(ctx);
    const code = robotCode(ctx.params);
    const robot = robotByCode(ctx.portal, clientId, code);
    if (!robot) throw notFound("Activity or Robot not found!");
    // Rules placing it on stages stay, blocked, until the app registers the code again (bizproc-robot-delete.md).
    deleteRobot(ctx.portal, robot.ID);
    ctx.world.onChange();
    return { result: true };
  }),
  robotMethod("bizproc.robot.list", (ctx) => {
    const robots = robotsOf(ctx.portal, appOf(ctx)).map((r) => r.CODE);
    return { result: robots, rows: robots.length };
  }),
  {
    // Any user may answer for a robot: the token is the credential (bizproc-event-send.md).
    name: "bizproc.event.send",
    scope: "bizproc",
    module: "bizproc",
    run(ctx) {
      const raw = param(ctx.params, "EVENT_TOKEN");
      const token = typeof raw === "string" ? raw.trim() : "";
      if (!token) throw new RestError(400, "ERROR_ARGUMENT", "Argument 'EVENT_TOKEN' is null or empty");
      const values = asRecord(param(ctx.params, "RETURN_VALUES"));
      const log = param(ctx.params, "LOG_MESSAGE");
      const done = completeRobot(ctx.world, ctx.portal, token, values, typeof log === "string" ? log : "");
      // Unknown, answered and expired tokens alike (the page's only error).
      if (!done) throw Errors.accessDenied();
      return { result: true };
    },
  },
];
