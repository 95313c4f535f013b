import { createHash } from "node:crypto";
import { asArray, asInt } from "../../calls/params.js";
import { V3Errors } from "../../calls/v3-errors.js";
import type { Item } from "../../calls/v3-filter.js";
import type { Portal } from "../../state/portal.js";
import type { Row } from "../../state/table.js";
import type { PortalUser } from "../../state/user.js";
import { canEdit, idList, TABLE } from "../task-records.js";

/*
 * The REST 3.0 task object (api-reference/tasks/fields-rest-v3.md) as the tasks.task.* pages show
 * it: typed camelCase values, the basic set of the add/get examples, the fields only `select`
 * brings, and related objects reached with a dot (`responsible.name`).
 */

const STATUS_NAMES: Record<number, string> = {
  1: "pending",
  2: "pending",
  3: "in_progress",
  4: "supposedly_completed",
  5: "completed",
  6: "deferred",
  7: "declined",
};
export const STATUS_CODES: Record<string, number> = {
  pending: 2,
  in_progress: 3,
  supposedly_completed: 4,
  completed: 5,
  deferred: 6,
  declined: 7,
};
const PRIORITY_NAMES: Record<number, string> = { 0: "low", 1: "average", 2: "high" };
export const PRIORITY_CODES: Record<string, number> = { low: 0, average: 1, high: 2 };

export const TASK_DTO = "TaskDto";
const USER_DTO = "UserDto";
/** The user object's fields (fields-rest-v3.md, "User Object"). */
const USER_FIELDS = new Set(["id", "name", "role", "image", "gender", "email", "externalAuthId", "rights"]);

const num = (value: unknown): number | null => {
  const n = asInt(value);
  return n === undefined || n === 0 ? null : n;
};
const flag = (value: unknown): boolean => value === "Y" || value === true;

/** What the viewer may do with the task (the `rights` of the examples). */
function rights(row: Row, user: PortalUser): Item {
  const edit = canEdit(row, user);
  const director = user.ADMIN || row.CREATED_BY === user.ID;
  const status = Number(row.STATUS);
  return {
    read: true,
    watch: true,
    mute: true,
    createResult: edit,
    edit: director,
    remove: director,
    complete: status !== 5,
    approve: false,
    disapprove: false,
    start: status === 2,
    take: false,
    delegate: edit,
    defer: status !== 6 && status !== 5,
    renew: status === 5 || status === 6,
    deadline: director,
    datePlan: edit,
    changeDirector: false,
    changeResponsible: director,
    changeAccomplices: director,
    pause: status === 3,
    timeTracking: flag(row.ALLOW_TIME_TRACKING),
    mark: director,
    changeStatus: edit,
    reminder: true,
    addAuditors: true,
    elapsedTime: edit,
    favorite: true,
    checklistAdd: edit,
    checklistEdit: edit,
    checklistSave: edit,
    checklistToggle: edit,
    automate: user.ADMIN,
    resultEdit: false,
    completeResult: edit,
    removeResult: false,
    resultRead: false,
    admin: user.ADMIN,
    createSubtask: true,
    copy: true,
    saveAsTemplate: true,
    attachFile: edit,
    detachFile: edit,
    detachParent: edit,
    createGanttDependence: edit,
    sort: false,
  };
}

function archiveLink(portal: Portal, id: number): string {
  const signature = createHash("sha256").update(`${portal.memberId}|task-files|${id}`).digest("hex");
  return `/bitrix/tools/disk/uf.php?entityId=${id}&entity=TASKS_TASK&fieldName=UF_TASK_WEBDAV_FILES&signature=${signature}&action=downloadArchiveByEntity&ncc=1`;
}

/**
 * The basic set: what tasks.task.add answers and tasks.task.get answers without plain fields in
 * `select` — the keys of both pages' examples (no creatorId/responsibleId: those come by `select`).
 */
export function basicDto(portal: Portal, row: Row, viewer: PortalUser): Item {
  const files = idList(row.UF_TASK_WEBDAV_FILES);
  return {
    id: row.ID,
    title: row.TITLE ?? "",
    description: row.DESCRIPTION ?? "",
    deadline: row.DEADLINE ?? null,
    needsControl: flag(row.TASK_CONTROL),
    startPlan: row.START_DATE_PLAN ?? null,
    endPlan: row.END_DATE_PLAN ?? null,
    fileIds: files.length ? files : null,
    checklist: [],
    epicId: null,
    storyPoints: null,
    priority: PRIORITY_NAMES[Number(row.PRIORITY)] ?? "average",
    status: STATUS_NAMES[Number(row.STATUS)] ?? "pending",
    statusChanged: row.STATUS_CHANGED_DATE ?? null,
    parentId: num(row.PARENT_ID),
    containsChecklist: false,
    containsSubTasks: portal
      .table(TABLE)
      .all()
      .some((t) => t.PARENT_ID === row.ID),
    containsRelatedTasks: false,
    containsGanttLinks: false,
    containsPlacements: false,
    containsResults: false,
    numberOfReminders: 0,
    // Task chats (tasks-new.md) are not modelled: no chat to point at.
    chatId: null,
    plannedDuration: 0,
    actualDuration: 0,
    durationType: "days",
    started: row.DATE_START ?? null,
    estimatedTime: Number(row.TIME_ESTIMATE ?? 0),
    replicate: false,
    changed: row.CHANGED_DATE ?? null,
    closed: row.CLOSED_DATE ?? null,
    activity: row.ACTIVITY_DATE ?? null,
    guid: row.GUID ?? null,
    xmlId: row.XML_ID ?? null,
    exchangeId: null,
    exchangeModified: null,
    outlookVersion: 1,
    mark: row.MARK ?? "none",
    allowsChangeDeadline: flag(row.ALLOW_CHANGE_DEADLINE),
    allowsTimeTracking: flag(row.ALLOW_TIME_TRACKING),
    matchesWorkTime: flag(row.MATCH_WORK_TIME),
    addInReport: row.ADD_IN_REPORT === undefined ? null : flag(row.ADD_IN_REPORT),
    isMultitask: false,
    siteId: "s1",
    deadlineCount: null,
    declineReason: null,
    forumTopicId: null,
    link: `/company/personal/user/${viewer.ID}/tasks/task/view/${row.ID}/`,
    rights: rights(row, viewer),
    archiveLink: archiveLink(portal, row.ID),
    crmItemIds: asArray(row.UF_CRM_TASK).map(String),
    requireResult: false,
    matchesSubTasksTime: false,
    autocompleteSubTasks: false,
    allowsChangeDatePlan: false,
    maxDeadlineChangeDate: null,
    maxDeadlineChanges: null,
    requireDeadlineChangeReason: false,
    inFavorite: [],
    inPin: [],
    inGroupPin: [],
    inMute: [],
    dependsOn: [],
    scenarios: ["default"],
  };
}

/** Every plain field of the task object (fields-rest-v3.md): the basic set and the ones only `select` brings. */
export function taskDto(portal: Portal, row: Row, viewer: PortalUser): Item {
  return {
    ...basicDto(portal, row, viewer),
    creatorId: num(row.CREATED_BY),
    created: row.CREATED_DATE ?? null,
    responsibleId: num(row.RESPONSIBLE_ID),
    groupId: num(row.GROUP_ID),
    stageId: num(row.STAGE_ID),
    flowId: null,
    accomplices: idList(row.ACCOMPLICES),
    auditors: idList(row.AUDITORS),
    changedById: num(row.CHANGED_BY),
    statusChangedById: num(row.STATUS_CHANGED_BY),
    closedById: num(row.CLOSED_BY),
    forkedByTemplateId: null,
    emailId: null,
  };
}

/** The task object's plain fields (taskDto's keys), for filters that name one. */
export const TASK_FIELDS = new Set(
  "id title description deadline needsControl startPlan endPlan fileIds checklist epicId storyPoints priority status statusChanged parentId containsChecklist containsSubTasks containsRelatedTasks containsGanttLinks containsPlacements containsResults numberOfReminders chatId plannedDuration actualDuration durationType started estimatedTime replicate changed closed activity guid xmlId exchangeId exchangeModified outlookVersion mark allowsChangeDeadline allowsTimeTracking matchesWorkTime addInReport isMultitask siteId deadlineCount declineReason forumTopicId link rights archiveLink crmItemIds requireResult matchesSubTasksTime autocompleteSubTasks allowsChangeDatePlan maxDeadlineChangeDate maxDeadlineChanges requireDeadlineChangeReason inFavorite inPin inGroupPin inMute dependsOn scenarios creatorId created responsibleId groupId stageId flowId accomplices auditors changedById statusChangedById closedById forkedByTemplateId emailId".split(
    " ",
  ),
);

/** A user as a related object (fields-rest-v3.md, "User Object"). */
function userDto(portal: Portal, id: unknown): Item | null {
  const user = portal.users.get(Number(id));
  if (!user) return null;
  return {
    id: user.ID,
    name: [user.NAME, user.LAST_NAME].filter(Boolean).join(" "),
    role: null,
    image: null,
    gender: user.PERSONAL_GENDER || null,
    email: user.EMAIL,
    externalAuthId: null,
    rights: [],
  };
}

/** Related objects `select` reaches with a dot: their DTO's name, fields, and the object of a task. */
const RELATED: Record<string, { entity: string; fields: ReadonlySet<string>; column: string }> = {
  creator: { entity: USER_DTO, fields: USER_FIELDS, column: "CREATED_BY" },
  responsible: { entity: USER_DTO, fields: USER_FIELDS, column: "RESPONSIBLE_ID" },
  changedBy: { entity: USER_DTO, fields: USER_FIELDS, column: "CHANGED_BY" },
  closedBy: { entity: USER_DTO, fields: USER_FIELDS, column: "CLOSED_BY" },
  statusChangedBy: { entity: USER_DTO, fields: USER_FIELDS, column: "STATUS_CHANGED_BY" },
  parent: { entity: TASK_DTO, fields: TASK_FIELDS, column: "PARENT_ID" },
};

function related(portal: Portal, row: Row, name: string, viewer: PortalUser): Item | null {
  const { entity, column } = RELATED[name]!;
  if (entity === USER_DTO) return userDto(portal, row[column]);
  const parent = portal.table(TABLE).get(Number(row[column]));
  return parent ? taskDto(portal, parent, viewer) : null;
}

/**
 * The fields `select` names (rest-v3.md, "Connections between objects"): plain ones from the task —
 * one the task lacks is left out, not refused — and dotted ones from its related objects, where an
 * unknown name is refused. Without plain fields the answer is the fallback set plus the related
 * objects (tasks-task-get-rest-v3.md's example: `responsible.*` beside the basic set).
 */
export function selected(
  portal: Portal,
  row: Row,
  viewer: PortalUser,
  select: unknown,
  fallback: "basic" | "id",
): Item {
  const names = Array.isArray(select) ? select.map(String) : [];
  const plain = names.filter((name) => !name.includes("."));
  const dotted = names.filter((name) => name.includes("."));
  const dto = taskDto(portal, row, viewer);
  let out: Item = {};
  if (plain.length === 0) out = fallback === "basic" ? basicDto(portal, row, viewer) : { id: dto.id };
  for (const name of plain) {
    if (name in dto) out[name] = dto[name];
    else if (name in RELATED) out[name] = related(portal, row, name, viewer);
  }
  for (const entry of dotted) {
    const [head, tail] = entry.split(".", 2) as [string, string];
    const link = RELATED[head];
    if (!link) throw V3Errors.unknownProperty(head, TASK_DTO);
    if (!link.fields.has(tail)) throw V3Errors.unknownProperty(tail, link.entity);
    const object = related(portal, row, head, viewer);
    if (!object) {
      out[head] = null;
      continue;
    }
    const into = (out[head] && typeof out[head] === "object" ? out[head] : {}) as Item;
    into[tail] = object[tail] ?? null;
    out[head] = into;
  }
  return out;
}
