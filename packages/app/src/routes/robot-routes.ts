import { AppError, VerificationError } from "../core/app-error.js";
import { json } from "../core/responses.js";
import type { Runtime } from "../core/runtime.js";
import type { RequestScope } from "../core/web-router.js";
import { readBody } from "../inbound/read-body.js";
import { parseRobotRequest } from "../robots/robot-request.js";
import { requireApplicationToken } from "./lifecycle-routes.js";

/**
 * The portal's POST when one of the app's robots runs (`b24/robots`, the
 * HANDLER applyManifest registers): verified like an event, queued durably,
 * answered at once; a worker runs the robot's handler and answers the portal
 * with bizproc.event.send (robots/run-robot.ts).
 */
export async function receiveRobot(rt: Runtime, request: Request, scope: RequestScope): Promise<Response> {
  const robot = parseRobotRequest(await readBody(request, rt.inboundLimitBytes));
  scope.memberId = robot.memberId;
  try {
    await requireApplicationToken(rt, robot);
    scope.verified = true;
  } catch (error) {
    rt.events?.rejected(error instanceof VerificationError ? error.code : "ERROR");
    throw error;
  }
  if (!rt.events)
    throw new AppError(
      "ROBOTS_NEED_A_QUEUE",
      503,
      "This app has no queue: give createApp a queue to run robots",
    );
  await rt.events.acceptRobot(robot);
  return json(200, { ok: true });
}
