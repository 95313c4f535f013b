import { createHash } from "node:crypto";
import { asArray, asInt } from "../calls/params.js";
import { isoWithOffset } from "../portal-time.js";
import type { Portal } from "../state/portal.js";
import type { Row } from "../state/table.js";
import type { PortalUser } from "../state/user.js";
import { isTruthy } from "./users.js";

/*
 * Task records, shared by the classic tasks.task.* methods and their REST 3.0
 * versions: rows in portal.table("tasks") with UPPER_SNAKE keys, who may read
 * and edit them, and the validation both versions apply on writes.
 */

export const TABLE = "tasks";
/** 1 new (legacy), 2 pending, 3 in progress, 4 supposedly completed, 5 completed, 6 deferred, 7 declined. */
export const STATUSES = new Set([1, 2, 3, 4, 5, 6, 7]);

/** Stored fields a caller may write; anything else except UF_* is ignored as on a real portal. */
export const WRITABLE = new Set([
  "TITLE",
  "DESCRIPTION",
  "RESPONSIBLE_ID",
  "CREATED_BY",
  "STATUS",
  "PRIORITY",
  "DEADLINE",
  "START_DATE_PLAN",
  "END_DATE_PLAN",
  "GROUP_ID",
  "PARENT_ID",
  "STAGE_ID",
  "AUDITORS",
  "ACCOMPLICES",
  "TAGS",
  "MARK",
  "XML_ID",
  "TIME_ESTIMATE",
  "ALLOW_CHANGE_DEADLINE",
  "ALLOW_TIME_TRACKING",
  "TASK_CONTROL",
  "ADD_IN_REPORT",
  "MATCH_WORK_TIME",
  "DESCRIPTION_IN_BBCODE",
]);
export const ID_FIELDS = new Set(["RESPONSIBLE_ID", "CREATED_BY", "GROUP_ID", "PARENT_ID", "STAGE_ID"]);
export const DATE_FIELDS = new Set(["DEADLINE", "START_DATE_PLAN", "END_DATE_PLAN"]);
export const FLAG_FIELDS = new Set([
  "ALLOW_CHANGE_DEADLINE",
  "ALLOW_TIME_TRACKING",
  "TASK_CONTROL",
  "ADD_IN_REPORT",
  "MATCH_WORK_TIME",
  "DESCRIPTION_IN_BBCODE",
]);
export const LIST_FIELDS = new Set(["AUDITORS", "ACCOMPLICES"]);

export function snake(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase();
}

/** Dates as the portal writes them; a value without an offset is read as portal time (UTC here). */
export function normalizeDate(value: unknown): string | null {
  if (value === null || value === undefined || value === "") return null;
  let text = String(value).trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) text += "T00:00:00";
  if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?$/.test(text)) text = `${text.replace(" ", "T")}+00:00`;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? String(value) : isoWithOffset(ms);
}

export function idList(value: unknown): number[] {
  return asArray(value)
    .map((v) => asInt(v))
    .filter((v): v is number => v !== undefined);
}

export function guid(portal: Portal, id: number): string {
  const h = createHash("sha256").update(`${portal.memberId}|task|${id}`).digest("hex");
  return `{${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}}`;
}

export function isMember(row: Row, userId: number): boolean {
  return (
    row.CREATED_BY === userId ||
    row.RESPONSIBLE_ID === userId ||
    idList(row.ACCOMPLICES).includes(userId) ||
    idList(row.AUDITORS).includes(userId)
  );
}

/** Admins see every task, everyone else the tasks they take part in (tasks.task.list page). */
export function canRead(row: Row, user: PortalUser): boolean {
  return user.ADMIN || isMember(row, user.ID);
}

export function canEdit(row: Row, user: PortalUser): boolean {
  return user.ADMIN || row.CREATED_BY === user.ID || row.RESPONSIBLE_ID === user.ID;
}

/** Normalises writable fields to the stored form; collects validation errors (all reported at once). */
export function applyFields(
  portal: Portal,
  input: Record<string, unknown>,
  target: Record<string, unknown>,
  creating: boolean,
  selfId?: number,
): string[] {
  const errors: string[] = [];
  const touched = new Set(Object.keys(input).map(snake));
  for (const [rawKey, value] of Object.entries(input)) {
    const key = snake(rawKey);
    if (key.startsWith("UF_")) {
      target[key] = value;
      continue;
    }
    if (!WRITABLE.has(key)) continue;
    if (ID_FIELDS.has(key)) target[key] = value === "" || value === null ? null : (asInt(value) ?? value);
    else if (DATE_FIELDS.has(key)) target[key] = normalizeDate(value);
    else if (LIST_FIELDS.has(key)) target[key] = idList(value);
    else if (key === "TAGS") target[key] = asArray(value).map(String);
    else if (FLAG_FIELDS.has(key)) target[key] = isTruthy(value) ? "Y" : "N";
    else if (key === "STATUS" || key === "PRIORITY" || key === "TIME_ESTIMATE")
      target[key] = asInt(value) ?? value;
    else target[key] = value === null || value === undefined ? null : String(value);
  }
  const title = target.TITLE;
  if ((creating || touched.has("TITLE")) && (typeof title !== "string" || title.trim() === "")) {
    errors.push("Task title not specified");
  }
  const responsible = target.RESPONSIBLE_ID;
  if (responsible === undefined || responsible === null || responsible === 0) {
    if (creating || touched.has("RESPONSIBLE_ID")) errors.push("Assignee not specified");
  } else if (typeof responsible !== "number" || !portal.users.has(responsible)) {
    errors.push('User specified in the "Assignee" field not found');
  }
  if (
    target.CREATED_BY !== undefined &&
    (typeof target.CREATED_BY !== "number" || !portal.users.has(target.CREATED_BY))
  ) {
    errors.push('User specified in the "Creator" field not found');
  }
  if (target.STATUS !== undefined && !(typeof target.STATUS === "number" && STATUSES.has(target.STATUS))) {
    errors.push("Invalid status");
  }
  const parent = target.PARENT_ID;
  if (parent !== undefined && parent !== null && parent !== 0) {
    if (typeof parent !== "number" || !portal.table(TABLE).get(parent)) {
      errors.push('Task specified in the "Parent Task" field not found');
    } else if (selfId !== undefined && parent === selfId) {
      errors.push("Cannot bind the node to itself");
    }
  }
  const start = target.START_DATE_PLAN;
  const end = target.END_DATE_PLAN;
  if (typeof start === "string" && typeof end === "string" && Date.parse(end) < Date.parse(start)) {
    errors.push("End date specified earlier than start date in scheduling");
  }
  return errors;
}

/** A new task by `creatorId` from caller fields (either version's names); its row, or the validation errors. */
export function createTask(
  portal: Portal,
  creatorId: number,
  fields: Record<string, unknown>,
  nowMs: number,
): { row: Row } | { errors: string[] } {
  const now = isoWithOffset(nowMs);
  const draft: Record<string, unknown> = {
    TITLE: undefined,
    DESCRIPTION: "",
    RESPONSIBLE_ID: undefined,
    CREATED_BY: creatorId,
    STATUS: 2,
    PRIORITY: 1,
    GROUP_ID: 0,
    PARENT_ID: null,
    STAGE_ID: 0,
    DEADLINE: null,
    START_DATE_PLAN: null,
    END_DATE_PLAN: null,
    AUDITORS: [],
    ACCOMPLICES: [],
    TAGS: [],
    MARK: null,
    XML_ID: null,
    TIME_ESTIMATE: 0,
  };
  const errors = applyFields(portal, fields, draft, true);
  if (errors.length) return { errors };
  const table = portal.table(TABLE);
  const row = table.insert({
    ...draft,
    CREATED_DATE: now,
    CHANGED_BY: draft.CREATED_BY,
    CHANGED_DATE: now,
    STATUS_CHANGED_BY: null,
    STATUS_CHANGED_DATE: now,
    CLOSED_BY: draft.STATUS === 5 ? draft.CREATED_BY : null,
    CLOSED_DATE: draft.STATUS === 5 ? now : null,
    ACTIVITY_DATE: now,
    DATE_START: null,
  });
  row.GUID = guid(portal, row.ID);
  return { row };
}

/** Applies caller fields to a task as `userId` (status changes stamped); the validation errors, if any. */
export function updateTask(
  portal: Portal,
  row: Row,
  userId: number,
  fields: Record<string, unknown>,
  nowMs: number,
): string[] {
  const draft: Record<string, unknown> = { ...row };
  const errors = applyFields(portal, fields, draft, false, row.ID);
  if (errors.length) return errors;
  const now = isoWithOffset(nowMs);
  if (draft.STATUS !== row.STATUS) {
    draft.STATUS_CHANGED_BY = userId;
    draft.STATUS_CHANGED_DATE = now;
    draft.CLOSED_BY = draft.STATUS === 5 ? userId : null;
    draft.CLOSED_DATE = draft.STATUS === 5 ? now : null;
    if (draft.STATUS === 3 && !draft.DATE_START) draft.DATE_START = now;
  }
  draft.CHANGED_BY = userId;
  draft.CHANGED_DATE = now;
  draft.ACTIVITY_DATE = now;
  Object.assign(row, draft, { ID: row.ID });
  return [];
}
