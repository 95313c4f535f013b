import { asArray, asInt, param } from "../calls/params.js";
import type { Portal } from "../state/portal.js";
import type { Row } from "../state/table.js";
import type { PortalUser } from "../state/user.js";
import { canEdit, idList, snake } from "./task-records.js";
import { fullName, isTruthy } from "./users.js";

/*
 * The classic task on the wire (tasks-task-add.md, tasks-task-get.md, tasks-task-list.md):
 * camelCase keys with string values, user blocks, the viewer's `action` rights, and what
 * `select` and `params` of tasks.task.get/list add to it.
 */

const DEFAULT_AVATAR = "/bitrix/images/tasks/default_avatar.png";

/** Filter/order aliases: filter names that differ from the stored column. */
export const ALIASES: Record<string, string> = {
  REAL_STATUS: "STATUS",
  ACCOMPLICE: "ACCOMPLICES",
  AUDITOR: "AUDITORS",
  TAG: "TAGS",
};

function camel(name: string): string {
  return name.toLowerCase().replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
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

/** Users keyed by id; none is `[]`, as PHP encodes an empty array (tasks-task-add.md's example). */
function usersData(portal: Portal, ids: unknown): Record<string, unknown> | [] {
  const list = idList(ids);
  if (list.length === 0) return [];
  const out: Record<string, unknown> = {};
  for (const id of list) out[String(id)] = userRef(portal, id);
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
    take: false,
    // The dotted rights of the examples (tasks-task-get.md, tasks-task-update.md).
    "edit.originator": false,
    "checklist.reorder": edit,
    "elapsedtime.add": edit,
    "dayplan.timer.toggle": false,
    "edit.plan": director,
    "checklist.add": edit,
    "favorite.add": true,
    "favorite.delete": false,
  };
}

/** The empty checklist root the full task carries (tasks-task-add.md's example). */
function checkListTree(viewer: PortalUser): Record<string, unknown> {
  return {
    nodeId: 0,
    fields: {
      id: null,
      copiedId: null,
      entityId: null,
      userId: viewer.ID,
      createdBy: null,
      parentId: null,
      title: "",
      sortIndex: null,
      displaySortIndex: "",
      isComplete: false,
      isImportant: false,
      completedCount: 0,
      members: [],
      attachments: [],
    },
    action: [],
    descendants: [],
  };
}

/** The full camelCase task as tasks.task.get/add/update return it. */
export function taskView(portal: Portal, row: Row, viewer: PortalUser): Record<string, unknown> {
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
    sprintId: null,
    backlogId: null,
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
    checkListTree: checkListTree(viewer),
    checkListCanAdd: canEdit(row, viewer),
  };
  return view;
}

/** Keys of the full task that are worked out for the viewer, not stored: left out of lists. */
export const COMPUTED = ["action", "checkListTree", "checkListCanAdd"];

/** The system user fields tasks-task-get.md names; asking for one of them answers all three. */
const SYSTEM_UFS = ["UF_CRM_TASK", "UF_TASK_WEBDAV_FILES", "UF_MAIL_MESSAGE"];

/** Tags keyed by their portal-wide id (tasks-task-list.md's example); none is `[]`. */
function tagsView(portal: Portal, row: Row): Record<string, unknown> | [] {
  const titles = asArray(row.TAGS).map(String);
  if (titles.length === 0) return [];
  const table = portal.table("tasks.tags");
  const out: Record<string, unknown> = {};
  for (const title of titles) {
    const tag = table.all().find((t) => t.TITLE === title) ?? table.insert({ TITLE: title });
    out[String(tag.ID)] = { id: tag.ID, title };
  }
  return out;
}

/** The viewer's counters of a task (tasks-task-list.md's example, `COUNTERS` in `select`): none modelled. */
function counterView(): Record<string, unknown> {
  return {
    counters: {
      expired: 0,
      newComments: 0,
      projectExpired: 0,
      projectNewComments: 0,
      mutedExpired: 0,
      mutedNewComments: 0,
    },
    color: "gray",
    value: 0,
  };
}

/**
 * `select` of tasks.task.get/list: UPPER_SNAKE names (or camelCase) pick the
 * camelCase keys; `*` is the default set; `UF_*` adds the user fields; the
 * user objects come with their id fields as on the real portal. tasks.task.get
 * adds `favorite` and `action` whatever the select (tasks-task-get.md's example).
 */
export function selectTask(
  portal: Portal,
  full: Record<string, unknown>,
  row: Row,
  select: unknown,
  mode: "get" | "list",
): Record<string, unknown> {
  const wanted = asArray(select).map(String);
  if (wanted.length === 0) return full;
  const out: Record<string, unknown> = {};
  const put = (key: string) => {
    if (key in full) out[key] = full[key];
  };
  const uf = (name: string) => {
    out[camel(name)] = row[name] ?? null;
  };
  for (const w of wanted) {
    if (w === "*") {
      for (const k of Object.keys(full)) if (!COMPUTED.includes(k)) put(k);
      continue;
    }
    const upper = snake(w);
    if (upper === "UF_*") {
      for (const k of Object.keys(row)) if (k.startsWith("UF_")) uf(k);
      continue;
    }
    if (SYSTEM_UFS.includes(upper)) {
      for (const name of SYSTEM_UFS) uf(name);
      continue;
    }
    if (upper.startsWith("UF_")) {
      uf(upper);
      continue;
    }
    if (upper === "SUB_STATUS") {
      out.subStatus = full.status;
      continue;
    }
    if (upper === "TAGS") {
      out.tags = tagsView(portal, row);
      continue;
    }
    if (upper === "COUNTERS") {
      out.counter = counterView();
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
  if (mode === "get") put("favorite");
  out.group = [];
  if (mode === "get") put("action");
  return out;
}

/** `params` of tasks.task.list (tasks-task-list.md): extra data per task, none of it modelled beyond defaults. */
export function listExtras(
  params: Record<string, unknown>,
  full: Record<string, unknown>,
): Record<string, unknown> {
  const extras: Record<string, unknown> = {};
  if (isTruthy(param(params, "WITH_RESULT_INFO")))
    Object.assign(extras, { taskRequireResult: "N", taskHasOpenResult: "N", taskHasResult: "N" });
  if (isTruthy(param(params, "WITH_TIMER_INFO")))
    Object.assign(extras, { timeElapsed: null, timerIsRunningForCurrentUser: "N" });
  if (isTruthy(param(params, "WITH_PARSED_DESCRIPTION"))) extras.parsedDescription = full.description;
  return extras;
}
