import type { Portal } from "../state/portal.js";
import type { Row } from "../state/table.js";

/*
 * Automation rules ("robots") apps register with bizproc.robot.add
 * (api-reference/bizproc/bizproc-robot/bizproc-robot-add.md). One row per
 * (app, CODE): codes are unique within an app, not across apps.
 */

const ROBOTS = "bizproc_robots";

/** A text the docs allow as a string or a per-language map (`{"en": "…", "de": "…"}`). */
export type LocalText = string | Record<string, string>;

/** One input or output property, keys capitalised as the documentation writes them. */
export interface RobotProperty {
  Name: LocalText;
  Description?: LocalText;
  /** bool, date, datetime, double, file, int, select, string, text, user. */
  Type: string;
  /** For `select`: value → title. */
  Options?: Record<string, string>;
  Required?: "Y" | "N";
  Multiple?: "Y" | "N";
  Default?: unknown;
}

export interface RobotRecord {
  ID: number;
  CLIENT_ID: string;
  CODE: string;
  HANDLER: string;
  /** The user whose token the handler's `auth` carries (none: the installing admin). */
  AUTH_USER_ID: number | null;
  /** Empty or Y: the robot waits for bizproc.event.send; only N does not wait. */
  USE_SUBSCRIPTION: "" | "Y" | "N";
  NAME: LocalText;
  DESCRIPTION: LocalText;
  PROPERTIES: Record<string, RobotProperty>;
  RETURN_PROPERTIES: Record<string, RobotProperty>;
  DOCUMENT_TYPE: string[] | null;
  FILTER: { INCLUDE?: unknown[]; EXCLUDE?: unknown[] } | null;
  USE_PLACEMENT: "Y" | "N";
  PLACEMENT_HANDLER: string;
}

export function robotsOf(portal: Portal, clientId?: string): RobotRecord[] {
  return portal
    .table(ROBOTS)
    .all()
    .map((row) => row as unknown as RobotRecord)
    .filter((r) => clientId === undefined || r.CLIENT_ID === clientId)
    .sort((a, b) => a.ID - b.ID);
}

export function robotByCode(portal: Portal, clientId: string, code: string): RobotRecord | undefined {
  return robotsOf(portal, clientId).find((r) => r.CODE === code);
}

export function robotById(portal: Portal, id: number): RobotRecord | undefined {
  return portal.table(ROBOTS).get(id) as unknown as RobotRecord | undefined;
}

export function insertRobot(portal: Portal, fields: Omit<RobotRecord, "ID">): RobotRecord {
  return portal.table(ROBOTS).insert(fields) as unknown as RobotRecord;
}

export function replaceRobot(portal: Portal, robot: RobotRecord): void {
  portal.table(ROBOTS).rows.set(robot.ID, robot as unknown as Row);
}

export function deleteRobot(portal: Portal, id: number): void {
  portal.table(ROBOTS).delete(id);
}

/** The text in English when the docs' per-language form was used (else the first language given). */
export function localText(text: LocalText | undefined): string {
  if (text === undefined) return "";
  if (typeof text === "string") return text;
  return text.en ?? Object.values(text)[0] ?? "";
}

/**
 * An app's robots leave the list when it is updated or uninstalled; rules that placed them on
 * stages stay, blocked, until the app registers the same codes again (bizproc-robot-delete.md).
 */
export function forgetAppRobots(portal: Portal, clientId: string): void {
  for (const robot of robotsOf(portal, clientId)) deleteRobot(portal, robot.ID);
}
