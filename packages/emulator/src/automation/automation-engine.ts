import { asInt } from "../calls/params.js";
import { legacyEntity } from "../methods/crm/crm-entities.js";
import type { AutomationPort } from "../state/automation-port.js";
import type { Portal } from "../state/portal.js";
import type { World } from "../state/world.js";
import {
  AUTOMATED,
  type AutomatedEntity,
  type AutomationRule,
  documentId,
  documentType,
  rulesOf,
} from "./automation-rules.js";
import { localText, robotByCode } from "./robot-records.js";
import { insertRun, newEventToken, newWorkflowId, type RobotRun, saveRun, waitingRun } from "./robot-runs.js";

/** The stage each record had when automation last looked: a robot runs when a record enters its stage. */
const seenTable = (entity: AutomatedEntity) => `bizproc_stage_${entity.toLowerCase()}`;

/**
 * CRM automation: when a deal (or lead) is created in, or moves to, a stage
 * with robots on it, each robot's handler gets the portal's POST
 * (robot-dispatch fields below); a robot that waits is completed by
 * bizproc.event.send with its token, or times out after
 * `robotTimeoutSeconds`. Every write path (REST, batch, the portal's pages)
 * reaches here through the REST executor.
 */
export class AutomationEngine implements AutomationPort {
  constructor(private readonly world: World) {}

  recordWritten(portal: Portal, entity: string, id: number): void {
    if (!Object.hasOwn(AUTOMATED, entity)) return;
    const kind = entity as AutomatedEntity;
    const row = portal.table(legacyEntity(AUTOMATED[kind].code).table).get(id);
    const seen = portal.table(seenTable(kind));
    if (!row) {
      seen.delete(id);
      return;
    }
    const stage = String(row[AUTOMATED[kind].stageField] ?? "");
    if (seen.get(id)?.STAGE_ID === stage) return;
    seen.rows.set(id, { ID: id, STAGE_ID: stage });
    const category = asInt(row.CATEGORY_ID) ?? 0;
    for (const rule of rulesOf(portal, kind, category))
      if (rule.STAGE_ID === stage) this.#start(portal, rule, id);
    this.world.onChange();
  }

  #start(portal: Portal, rule: AutomationRule, id: number): void {
    const robot = robotByCode(portal, rule.CLIENT_ID, rule.CODE);
    const installation = portal.installations.get(rule.CLIENT_ID);
    if (!robot || !installation?.installed) return;
    const now = this.world.clock.nowMs();
    const waits = robot.USE_SUBSCRIPTION !== "N";
    const timeoutSeconds = this.world.settings.robotTimeoutSeconds;
    const workflowId = newWorkflowId();
    const properties = { ...defaults(robot.PROPERTIES), ...rule.VALUES };
    const run = insertRun(portal, {
      WORKFLOW_ID: workflowId,
      EVENT_TOKEN: newEventToken(workflowId),
      RULE_ID: rule.ID,
      CLIENT_ID: rule.CLIENT_ID,
      CODE: rule.CODE,
      ROBOT_NAME: localText(robot.NAME),
      ENTITY: rule.ENTITY,
      ENTITY_ID: id,
      STATUS: "running",
      WAITS: waits,
      STARTED_AT: now,
      DEADLINE_AT: waits ? now + timeoutSeconds * 1000 : null,
      FINISHED_AT: null,
      PROPERTIES: properties,
      RETURN_VALUES: {},
      LOG: [],
    });
    // The fields of the official SDKs' robot request (b24phpsdk IncomingRobotRequest, b24jssdk
    // ActivityHandlerParams); the documentation does not describe this POST.
    const form = {
      workflow_id: workflowId,
      code: robot.CODE,
      document_id: documentId(rule.ENTITY, id),
      document_type: documentType(rule.ENTITY),
      event_token: run.EVENT_TOKEN,
      properties,
      use_subscription: waits ? "Y" : "N",
      timeout_duration: waits ? timeoutSeconds : 0,
    };
    void this.world.events
      .post({
        portal,
        installation,
        handler: robot.HANDLER,
        event: "BIZPROC_ROBOT",
        data: null,
        authUserId: robot.AUTH_USER_ID ?? installation.installedByUserId,
        includeRefreshToken: true,
        form,
      })
      .then((delivery) => {
        if (delivery.outcome === "ok" && waits) return;
        if (delivery.outcome === "ok") run.STATUS = "completed";
        else {
          run.STATUS = "failed";
          run.LOG.push(`The robot's handler could not be reached (${delivery.status ?? delivery.outcome})`);
        }
        run.FINISHED_AT = this.world.clock.nowMs();
        saveRun(portal, run);
        this.world.onChange();
      });
  }
}

/** bizproc.event.send: the waiting robot of `token` is done; undefined when no robot waits on it. */
export function completeRobot(
  world: World,
  portal: Portal,
  token: string,
  returnValues: Record<string, unknown>,
  logMessage: string,
): RobotRun | undefined {
  const now = world.clock.nowMs();
  const run = waitingRun(portal, token, now);
  if (!run) return undefined;
  const robot = robotByCode(portal, run.CLIENT_ID, run.CODE);
  const declared = robot ? Object.keys(robot.RETURN_PROPERTIES) : [];
  // Values the robot did not declare as RETURN_PROPERTIES have nowhere to go.
  run.RETURN_VALUES = Object.fromEntries(
    Object.entries(returnValues).filter(([key]) => declared.includes(key)),
  );
  if (logMessage) run.LOG.push(logMessage);
  run.STATUS = "completed";
  run.FINISHED_AT = now;
  saveRun(portal, run);
  world.onChange();
  return run;
}

/** The robot's declared defaults: what a rule placed without values runs with. */
function defaults(properties: Record<string, { Default?: unknown }>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(properties)
      .filter(([, p]) => p.Default !== undefined)
      .map(([key, p]) => [key, p.Default]),
  );
}
