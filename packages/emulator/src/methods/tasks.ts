import { createHash } from "node:crypto";
import { likeMatch, pageRows } from "../calls/list-query.js";
import type { CallContext, MethodDef } from "../calls/method-def.js";
import { asArray, asInt, asRecord, param } from "../calls/params.js";
import { RestError } from "../calls/rest-error.js";
import { isoWithOffset } from "../portal-time.js";
import type { Portal } from "../state/portal.js";
import type { Row } from "../state/table.js";
import type { PortalUser } from "../state/user.js";
import { fullName, isTruthy } from "./users.js";

/*
 * tasks.task.* (docs/protocol.md §13.3). Rows live in portal.table("tasks") with
 * UPPER_SNAKE keys; the wire shape is camelCase with string values. Error
 * codes and texts follow the method pages: ERROR_CORE messages end in "<br>",
 * and the taskId checks answer with the numeric codes "0"/"100".
 */

const TABLE = "tasks";
const DEFAULT_AVATAR = "/bitrix/images/tasks/default_avatar.png";
/** 1 new (legacy), 2 pending, 3 in progress, 4 supposedly completed, 5 completed, 6 deferred, 7 declined. */
const STATUSES = new Set([1, 2, 3, 4, 5, 6, 7]);

/** Stored fields a caller may write; anything else except UF_* is ignored as on a real portal. */
const WRITABLE = new Set([
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
const ID_FIELDS = new Set(["RESPONSIBLE_ID", "CREATED_BY", "GROUP_ID", "PARENT_ID", "STAGE_ID"]);
const DATE_FIELDS = new Set(["DEADLINE", "START_DATE_PLAN", "END_DATE_PLAN"]);
const FLAG_FIELDS = new Set([
  "ALLOW_CHANGE_DEADLINE",
  "ALLOW_TIME_TRACKING",
  "TASK_CONTROL",
  "ADD_IN_REPORT",
  "MATCH_WORK_TIME",
  "DESCRIPTION_IN_BBCODE",
]);
const LIST_FIELDS = new Set(["AUDITORS", "ACCOMPLICES"]);

/** Filter/order aliases: filter names that differ from the stored column. */
const ALIASES: Record<string, string> = {
  REAL_STATUS: "STATUS",
  ACCOMPLICE: "ACCOMPLICES",
  AUDITOR: "AUDITORS",
  TAG: "TAGS",
};

function snake(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase();
}

function camel(name: string): string {
  return name.toLowerCase().replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

function fieldKey(name: string): string {
  const key = snake(name);
  return ALIASES[key] ?? key;
}

function str(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}

/** Dates as the portal writes them; a value without an offset is read as portal time (UTC here). */
function normalizeDate(value: unknown): string | null {
  if (value === null || value === undefined || value === "") return null;
  let text = String(value).trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) text += "T00:00:00";
  if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?$/.test(text)) text = `${text.replace(" ", "T")}+00:00`;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? String(value) : isoWithOffset(ms);
}

function idList(value: unknown): number[] {
  return asArray(value)
    .map((v) => asInt(v))
    .filter((v): v is number => v !== undefined);
}

function userRef(portal: Portal, id: unknown): Record<string, unknown> {
  const n = asInt(id) ?? Number(id);
  const user = portal.users.get(n);
  return {
    id: String(id ?? ""),
    name: user ? fullName(user) : "",
    link: `/company/personal/user/${String(id ?? "")}/`,
    icon: DEFAULT_AVATAR,
    workPosition: user?.WORK_POSITION ?? "",
  };
}

function usersData(portal: Portal, ids: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const id of idList(ids)) out[String(id)] = userRef(portal, id);
  return out;
}

function guid(portal: Portal, id: number): string {
  const h = createHash("sha256").update(`${portal.memberId}|task|${id}`).digest("hex");
  return `{${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}}`;
}

function isMember(row: Row, userId: number): boolean {
  return (
    row.CREATED_BY === userId ||
    row.RESPONSIBLE_ID === userId ||
    idList(row.ACCOMPLICES).includes(userId) ||
    idList(row.AUDITORS).includes(userId)
  );
}

/** Admins see every task, everyone else the tasks they take part in (tasks.task.list page). */
function canRead(row: Row, user: PortalUser): boolean {
  return user.ADMIN || isMember(row, user.ID);
}

function canEdit(row: Row, user: PortalUser): boolean {
  return user.ADMIN || row.CREATED_BY === user.ID || row.RESPONSIBLE_ID === user.ID;
}

function actions(row: Row, user: PortalUser): Record<string, boolean> {
  const status = Number(row.STATUS);
  const edit = canEdit(row, user);
  const director = user.ADMIN || row.CREATED_BY === user.ID;
  return {
    accept: false,
    decline: false,
    complete: status !== 5,
    approve: false,
    disapprove: false,
    start: status === 2,
    pause: status === 3,
    delegate: edit,
    remove: director,
    edit: director,
    defer: status !== 6 && status !== 5,
    renew: status === 5 || status === 6,
    create: true,
    changeDeadline: director,
    checklistAddItems: edit,
    addFavorite: true,
    deleteFavorite: false,
    rate: director,
  };
}

/** The full camelCase task as tasks.task.get/add/update return it. */
function taskView(portal: Portal, row: Row, viewer: PortalUser): Record<string, unknown> {
  const view: Record<string, unknown> = {
    id: String(row.ID),
    parentId: row.PARENT_ID ? String(row.PARENT_ID) : null,
    title: str(row.TITLE),
    description: str(row.DESCRIPTION) ?? "",
    mark: str(row.MARK),
    priority: str(row.PRIORITY),
    multitask: "N",
    notViewed: "N",
    replicate: "N",
    stageId: str(row.STAGE_ID) ?? "0",
    createdBy: str(row.CREATED_BY),
    createdDate: str(row.CREATED_DATE),
    responsibleId: str(row.RESPONSIBLE_ID),
    changedBy: str(row.CHANGED_BY),
    changedDate: str(row.CHANGED_DATE),
    statusChangedBy: str(row.STATUS_CHANGED_BY),
    closedBy: str(row.CLOSED_BY),
    closedDate: str(row.CLOSED_DATE),
    activityDate: str(row.ACTIVITY_DATE),
    dateStart: str(row.DATE_START),
    deadline: str(row.DEADLINE),
    startDatePlan: str(row.START_DATE_PLAN),
    endDatePlan: str(row.END_DATE_PLAN),
    guid: str(row.GUID),
    xmlId: str(row.XML_ID),
    commentsCount: null,
    serviceCommentsCount: null,
    allowChangeDeadline: str(row.ALLOW_CHANGE_DEADLINE) ?? "N",
    allowTimeTracking: str(row.ALLOW_TIME_TRACKING) ?? "N",
    taskControl: str(row.TASK_CONTROL) ?? "N",
    addInReport: str(row.ADD_IN_REPORT) ?? "N",
    forkedByTemplateId: null,
    timeEstimate: str(row.TIME_ESTIMATE) ?? "0",
    timeSpentInLogs: null,
    matchWorkTime: str(row.MATCH_WORK_TIME) ?? "N",
    forumTopicId: null,
    forumId: null,
    siteId: "s1",
    subordinate: "N",
    exchangeModified: null,
    exchangeId: null,
    outlookVersion: "1",
    viewedDate: null,
    sorting: null,
    durationFact: null,
    isMuted: "N",
    isPinned: "N",
    isPinnedInGroup: "N",
    flowId: null,
    descriptionInBbcode: str(row.DESCRIPTION_IN_BBCODE) ?? "Y",
    status: str(row.STATUS),
    statusChangedDate: str(row.STATUS_CHANGED_DATE),
    durationPlan: null,
    durationType: "days",
    favorite: "N",
    groupId: str(row.GROUP_ID) ?? "0",
    auditors: idList(row.AUDITORS).map(String),
    accomplices: idList(row.ACCOMPLICES).map(String),
    checklist: [],
    group: [],
    creator: userRef(portal, row.CREATED_BY),
    responsible: userRef(portal, row.RESPONSIBLE_ID),
    accomplicesData: usersData(portal, row.ACCOMPLICES),
    auditorsData: usersData(portal, row.AUDITORS),
    newCommentsCount: 0,
    action: actions(row, viewer),
  };
  return view;
}

/**
 * `select` of tasks.task.get/list: UPPER_SNAKE names (or camelCase) pick the
 * camelCase keys; `*` is the default set; `UF_*` adds the user fields; the
 * user objects come with their id fields as on the real portal.
 */
function selectTask(full: Record<string, unknown>, row: Row, select: unknown): Record<string, unknown> {
  const wanted = asArray(select).map(String);
  if (wanted.length === 0) return full;
  const out: Record<string, unknown> = {};
  const put = (key: string) => {
    if (key in full) out[key] = full[key];
  };
  const ufs = (only?: string) => {
    for (const [k, v] of Object.entries(row)) {
      if (k.startsWith("UF_") && (!only || k === only)) out[camel(k)] = v ?? null;
    }
  };
  for (const w of wanted) {
    if (w === "*") {
      for (const k of Object.keys(full)) if (k !== "action") put(k);
      continue;
    }
    if (w.toUpperCase() === "UF_*") {
      ufs();
      continue;
    }
    const upper = snake(w);
    if (upper.startsWith("UF_")) {
      out[camel(upper)] = row[upper] ?? null;
      continue;
    }
    if (w === "subStatus" || upper === "SUB_STATUS") {
      out.subStatus = full.status;
      continue;
    }
    const key = camel(ALIASES[upper] ?? upper);
    put(key);
    if (upper === "STATUS") out.subStatus = full.status;
    if (key === "responsibleId") put("responsible");
    if (key === "createdBy") put("creator");
    if (key === "accomplices") put("accomplicesData");
    if (key === "auditors") put("auditorsData");
    if (key === "description") put("descriptionInBbcode");
  }
  out.group = [];
  return out;
}

const fieldsMissing = () =>
  new RestError(400, "100", "Could not find value for parameter {fields} (internal error)");
const notAllowed = () => new RestError(400, "0", "Action on the task is not allowed (internal error)");

/** taskId: required ("100") and an integer ("0 wrong task id"), as tasks.task.get documents. */
function taskIdParam(ctx: CallContext): number {
  const raw = param(ctx.params, "taskId");
  if (raw === undefined || raw === null || raw === "") {
    throw new RestError(
      400,
      "100",
      "CTaskItem All parameters in the constructor must have real class type (internal error)",
    );
  }
  const id = asInt(raw);
  if (id === undefined || id <= 0) throw new RestError(400, "0", "wrong task id");
  return id;
}

/** Normalises writable fields to the stored form; collects validation errors (all reported at once). */
function applyFields(
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

function coreError(errors: string[]): RestError {
  return new RestError(400, "ERROR_CORE", errors.map((e) => `${e}<br>`).join(""));
}

function readFields(ctx: CallContext): Record<string, unknown> {
  const fields = asRecord(param(ctx.params, "fields"));
  if (Object.keys(fields).length === 0) throw fieldsMissing();
  return fields;
}

export const taskMethods: MethodDef[] = [
  {
    name: "tasks.task.add",
    scope: "task",
    module: "tasks",
    run: (ctx) => {
      const fields = readFields(ctx);
      const now = isoWithOffset(ctx.nowMs);
      const draft: Record<string, unknown> = {
        TITLE: undefined,
        DESCRIPTION: "",
        RESPONSIBLE_ID: undefined,
        CREATED_BY: ctx.user.ID,
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
      const errors = applyFields(ctx.portal, fields, draft, true);
      if (errors.length) throw coreError(errors);
      const table = ctx.portal.table(TABLE);
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
      row.GUID = guid(ctx.portal, row.ID);
      return { result: { task: taskView(ctx.portal, row, ctx.user) } };
    },
  },
  {
    name: "tasks.task.get",
    scope: "task",
    module: "tasks",
    run: (ctx) => {
      const id = taskIdParam(ctx);
      const row = ctx.portal.table(TABLE).get(id);
      // Unknown or inaccessible task: `"result": []` with HTTP 200 (tasks.task.get page).
      if (!row || !canRead(row, ctx.user)) return { result: [] };
      const full = taskView(ctx.portal, row, ctx.user);
      return { result: { task: selectTask(full, row, param(ctx.params, "select")) } };
    },
  },
  {
    name: "tasks.task.list",
    scope: "task",
    module: "tasks",
    run: (ctx) => {
      const filter = { ...asRecord(param(ctx.params, "filter")) };
      const predicates: Array<(row: Row) => boolean> = [(row) => canRead(row, ctx.user)];
      for (const [key, value] of Object.entries(filter)) {
        const upper = key.toUpperCase();
        if (key.startsWith("::")) {
          // Sub-filters (e.g. favourites) are not modelled; ignored rather than matching nothing.
          delete filter[key];
        } else if (upper === "MEMBER") {
          const member = asInt(value);
          predicates.push((row) => member !== undefined && isMember(row, member));
          delete filter[key];
        } else if (upper === "ONLY_ROOT_TASKS") {
          if (isTruthy(value)) predicates.push((row) => !row.PARENT_ID);
          delete filter[key];
        } else if (
          /^[A-Za-z_]+$/.test(key) &&
          typeof value === "string" &&
          /[%_]/.test(value) &&
          fieldKey(key) === "TITLE"
        ) {
          predicates.push((row) => likeMatch(row.TITLE, value));
          delete filter[key];
        }
      }
      const order = asRecord(param(ctx.params, "order"));
      const select = param(ctx.params, "select");
      const page = pageRows(
        ctx.portal.table(TABLE).all(),
        {
          filter,
          order: Object.keys(order).length ? order : { ID: "DESC" },
          start: param(ctx.params, "start"),
        },
        (row) => {
          const full = taskView(ctx.portal, row, ctx.user);
          if (asArray(select).length) return selectTask(full, row, select);
          const { action: _a, ...rest } = full;
          return rest;
        },
        { fieldKey, visible: (row) => predicates.every((p) => p(row)) },
      );
      return { ...page, result: { tasks: page.result } };
    },
  },
  {
    name: "tasks.task.update",
    scope: "task",
    module: "tasks",
    run: (ctx) => {
      const id = taskIdParam(ctx);
      const fields = readFields(ctx);
      const row = ctx.portal.table(TABLE).get(id);
      if (!row || !canEdit(row, ctx.user)) throw notAllowed();
      const draft: Record<string, unknown> = { ...row };
      const errors = applyFields(ctx.portal, fields, draft, false, id);
      if (errors.length) throw coreError(errors);
      const now = isoWithOffset(ctx.nowMs);
      if (draft.STATUS !== row.STATUS) {
        draft.STATUS_CHANGED_BY = ctx.user.ID;
        draft.STATUS_CHANGED_DATE = now;
        draft.CLOSED_BY = draft.STATUS === 5 ? ctx.user.ID : null;
        draft.CLOSED_DATE = draft.STATUS === 5 ? now : null;
        if (draft.STATUS === 3 && !draft.DATE_START) draft.DATE_START = now;
      }
      draft.CHANGED_BY = ctx.user.ID;
      draft.CHANGED_DATE = now;
      draft.ACTIVITY_DATE = now;
      Object.assign(row, draft, { ID: row.ID });
      return { result: { task: taskView(ctx.portal, row, ctx.user) } };
    },
  },
];
