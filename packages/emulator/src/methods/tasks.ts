import { likeMatch, pageRows } from "../calls/list-query.js";
import type { CallContext, MethodDef } from "../calls/method-def.js";
import { asArray, asInt, asRecord, param } from "../calls/params.js";
import { RestError } from "../calls/rest-error.js";
import type { Portal } from "../state/portal.js";
import type { Row } from "../state/table.js";
import type { PortalUser } from "../state/user.js";
import { canEdit, canRead, createTask, idList, isMember, snake, TABLE, updateTask } from "./task-records.js";
import { fullName, isTruthy } from "./users.js";

/*
 * tasks.task.* (docs/protocol.md §13.3). Rows live in portal.table("tasks") with
 * UPPER_SNAKE keys; the wire shape is camelCase with string values. Error
 * codes and texts follow the method pages: ERROR_CORE messages end in "<br>",
 * and the taskId checks answer with the numeric codes "0"/"100".
 */

const DEFAULT_AVATAR = "/bitrix/images/tasks/default_avatar.png";

/** Filter/order aliases: filter names that differ from the stored column. */
const ALIASES: Record<string, string> = {
  REAL_STATUS: "STATUS",
  ACCOMPLICE: "ACCOMPLICES",
  AUDITOR: "AUDITORS",
  TAG: "TAGS",
};

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
      const created = createTask(ctx.portal, ctx.user.ID, fields, ctx.nowMs);
      if ("errors" in created) throw coreError(created.errors);
      const row = created.row;
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
      const errors = updateTask(ctx.portal, row, ctx.user.ID, fields, ctx.nowMs);
      if (errors.length) throw coreError(errors);
      return { result: { task: taskView(ctx.portal, row, ctx.user) } };
    },
  },
];
