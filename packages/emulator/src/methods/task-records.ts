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

/** A refused write: the stored column it concerns and the portal's text for it. */
export interface TaskProblem {
  column: string;
  message: string;
}

/*
 * The portal's texts for refused task writes. The pages translate the same texts differently
 * (tasks-task-add.md vs tasks-task-update.md); where they differ, the update page's wording is used:
 * its table quotes the wire text (with the trailing "<br>" the classic ERROR_CORE carries).
 */
export const TASK_PROBLEMS = {
  /** tasks-task-add.md's error example. */
  noTitle: "Task title is not specified",
  /** tasks-task-add.md's error table. */
  noResponsible: "Responsible person not specified",
  unknownResponsible: 'The user specified in the "Responsible" field was not found',
  /** Not on the pages (tasks-task-add-rest-v3.md names the field with an empty text); worded like the above. */
  unknownCreator: 'The user specified in the "Creator" field was not found',
  badStatus: "Invalid status",
  unknownParent: 'The task specified in the "Parent Task" field was not found',
  selfParent: "Cannot bind the node to itself",
  cyclicParent: "Creating cyclic links in tasks is prohibited",
  endBeforeStart: "The end date specified in the scheduling is earlier than the start date",
  tooLong: "The duration of the task specified in the scheduling is too long",
} as const;

/** The longest planned duration the portal stores: seconds in a signed 32-bit integer. */
const MAX_PLAN_SECONDS = 2_147_483_647;

/** UF_TASK_WEBDAV_FILES takes Drive file ids as `n<id>` (tasks-task-add.md) and holds numeric ids. */
function attachmentIds(value: unknown): number[] {
  return asArray(value)
    .map((v) => asInt(typeof v === "string" ? v.replace(/^n/i, "") : v))
    .filter((v): v is number => v !== undefined);
}

/** Whether `ancestorId` is `taskId` or above it in the parent chain. */
function isAncestorOf(portal: Portal, taskId: number, ancestorId: number): boolean {
  let current = portal.table(TABLE).get(taskId);
  for (let guard = 0; current && guard < 1000; guard++) {
    if (current.ID === ancestorId) return true;
    const parent = asInt(current.PARENT_ID);
    current = parent ? portal.table(TABLE).get(parent) : undefined;
  }
  return false;
}

/** Normalises writable fields to the stored form; collects the problems (all reported at once). */
export function applyFields(
  portal: Portal,
  input: Record<string, unknown>,
  target: Record<string, unknown>,
  creating: boolean,
  selfId?: number,
): TaskProblem[] {
  const problems: TaskProblem[] = [];
  const refuse = (column: string, message: string) => problems.push({ column, message });
  const touched = new Set(Object.keys(input).map(snake));
  for (const [rawKey, value] of Object.entries(input)) {
    const key = snake(rawKey);
    if (key === "UF_TASK_WEBDAV_FILES") {
      target[key] = attachmentIds(value);
      continue;
    }
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
    refuse("TITLE", TASK_PROBLEMS.noTitle);
  }
  const responsible = target.RESPONSIBLE_ID;
  if (responsible === undefined || responsible === null || responsible === 0) {
    if (creating || touched.has("RESPONSIBLE_ID")) refuse("RESPONSIBLE_ID", TASK_PROBLEMS.noResponsible);
  } else if (typeof responsible !== "number" || !portal.users.has(responsible)) {
    refuse("RESPONSIBLE_ID", TASK_PROBLEMS.unknownResponsible);
  }
  if (
    target.CREATED_BY !== undefined &&
    (typeof target.CREATED_BY !== "number" || !portal.users.has(target.CREATED_BY))
  ) {
    refuse("CREATED_BY", TASK_PROBLEMS.unknownCreator);
  }
  if (target.STATUS !== undefined && !(typeof target.STATUS === "number" && STATUSES.has(target.STATUS))) {
    refuse("STATUS", TASK_PROBLEMS.badStatus);
  }
  const parent = target.PARENT_ID;
  if (parent !== undefined && parent !== null && parent !== 0) {
    if (typeof parent !== "number" || !portal.table(TABLE).get(parent)) {
      refuse("PARENT_ID", TASK_PROBLEMS.unknownParent);
    } else if (selfId !== undefined && parent === selfId) {
      refuse("PARENT_ID", TASK_PROBLEMS.selfParent);
    } else if (selfId !== undefined && isAncestorOf(portal, parent, selfId)) {
      // The new parent is one of this task's subtasks (tasks-task-update.md).
      refuse("PARENT_ID", TASK_PROBLEMS.cyclicParent);
    }
  }
  const start = typeof target.START_DATE_PLAN === "string" ? Date.parse(target.START_DATE_PLAN) : Number.NaN;
  const end = typeof target.END_DATE_PLAN === "string" ? Date.parse(target.END_DATE_PLAN) : Number.NaN;
  if (end < start) refuse("END_DATE_PLAN", TASK_PROBLEMS.endBeforeStart);
  else if ((end - start) / 1000 > MAX_PLAN_SECONDS) refuse("END_DATE_PLAN", TASK_PROBLEMS.tooLong);
  return problems;
}

/** A new task by `creatorId` from caller fields (either version's names); its row, or the validation errors. */
export function createTask(
  portal: Portal,
  creatorId: number,
  fields: Record<string, unknown>,
  nowMs: number,
): { row: Row } | { errors: TaskProblem[] } {
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
): TaskProblem[] {
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
