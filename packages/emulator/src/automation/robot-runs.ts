import { randomBytes, randomInt } from "node:crypto";
import type { Portal } from "../state/portal.js";
import type { Row } from "../state/table.js";
import type { AutomatedEntity } from "./automation-rules.js";

/*
 * Robots at work: one row per robot started on a record, from the POST to its
 * handler to bizproc.event.send (or the timeout). The deal's page shows them
 * as its automation timeline.
 */

const RUNS = "bizproc_runs";

export type RunStatus = "running" | "completed" | "timed_out" | "failed";

export interface RobotRun {
  ID: number;
  /** `66f1a2b3c4d5e6.12345678`, as workflow ids look. */
  WORKFLOW_ID: string;
  /** What the handler gets as `event_token` and sends back with bizproc.event.send. */
  EVENT_TOKEN: string;
  RULE_ID: number;
  CLIENT_ID: string;
  CODE: string;
  ROBOT_NAME: string;
  ENTITY: AutomatedEntity;
  ENTITY_ID: number;
  STATUS: RunStatus;
  /** The robot waits for bizproc.event.send (USE_SUBSCRIPTION not N). */
  WAITS: boolean;
  /** Unix ms of emulator time. */
  STARTED_AT: number;
  DEADLINE_AT: number | null;
  FINISHED_AT: number | null;
  PROPERTIES: Record<string, unknown>;
  RETURN_VALUES: Record<string, unknown>;
  LOG: string[];
}

export function newWorkflowId(): string {
  return `${randomBytes(7).toString("hex")}.${String(randomInt(10_000_000, 99_999_999))}`;
}

/** `<workflow>|A<n>_<n>_<n>_<n>|<signature>`: the shape of the documentation's sample token. */
export function newEventToken(workflowId: string): string {
  const group = () => String(randomInt(10_000, 99_999));
  return `${workflowId}|A${group()}_${group()}_${group()}_${group()}|${randomBytes(24).toString("hex")}`;
}

export function insertRun(portal: Portal, run: Omit<RobotRun, "ID">): RobotRun {
  return portal.table(RUNS).insert(run) as unknown as RobotRun;
}

export function saveRun(portal: Portal, run: RobotRun): void {
  portal.table(RUNS).rows.set(run.ID, run as unknown as Row);
}

/** Runs of one record (or of the portal), newest first, with those past their deadline marked timed out. */
export function runsOf(
  portal: Portal,
  nowMs: number,
  record?: { entity: AutomatedEntity; id: number },
): RobotRun[] {
  const runs = portal
    .table(RUNS)
    .all()
    .map((row) => row as unknown as RobotRun)
    .filter((r) => !record || (r.ENTITY === record.entity && r.ENTITY_ID === record.id));
  for (const run of runs) expireIfLate(portal, run, nowMs);
  return runs.sort((a, b) => b.STARTED_AT - a.STARTED_AT || b.ID - a.ID);
}

/** The running robot a token belongs to; none when unknown, already answered or past its deadline. */
export function waitingRun(portal: Portal, token: string, nowMs: number): RobotRun | undefined {
  const run = portal
    .table(RUNS)
    .all()
    .map((row) => row as unknown as RobotRun)
    .find((r) => r.EVENT_TOKEN === token);
  if (!run) return undefined;
  expireIfLate(portal, run, nowMs);
  return run.STATUS === "running" && run.WAITS ? run : undefined;
}

function expireIfLate(portal: Portal, run: RobotRun, nowMs: number): void {
  if (run.STATUS !== "running" || run.DEADLINE_AT === null || nowMs < run.DEADLINE_AT) return;
  run.STATUS = "timed_out";
  run.FINISHED_AT = run.DEADLINE_AT;
  run.LOG.push("The robot did not answer in time");
  saveRun(portal, run);
}
