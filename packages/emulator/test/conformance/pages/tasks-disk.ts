import { control } from "@b24kit/emulator/testing";
import { expect } from "vitest";
import type { MethodPage, PageContext } from "../page-fixture.js";
import { type Shape, shapeMismatches } from "../shape.js";

/*
 * Tasks (classic and REST 3.0), REST 3.0's own methods and Drive: the facts of
 * api-reference/tasks/tasks-task-*.md, api-reference/rest-v3.md and api-reference/disk/*.
 */

// ---------------------------------------------------------------- shared setup

/** A user of the portal (the pages' examples name creators, assignees and auditors by id). */
async function addUser(ctx: PageContext, name: string): Promise<number> {
  const { user } = await control(ctx.emu).addUser(ctx.portal.memberId, { NAME: name, LAST_NAME: "Tester" });
  return user.ID;
}

/** The seeded Drive's root folder (id 1) and what it holds, found the documented way. */
async function driveObjects(ctx: PageContext): Promise<Array<Record<string, string>>> {
  const reply = await ctx.call("disk.folder.getChildren", { id: 1 });
  return reply.body.result as Array<Record<string, string>>;
}

async function firstFileId(ctx: PageContext): Promise<number> {
  const file = (await driveObjects(ctx)).find((o) => o.TYPE === "file");
  if (!file) throw new Error("the seeded drive has no file");
  return Number(file.ID);
}

/** Adds a task with classic fields; its id. */
async function addTask(ctx: PageContext, fields: Record<string, unknown>): Promise<number> {
  const reply = await ctx.call("tasks.task.add", { fields });
  if (reply.status !== 200) throw new Error(`tasks.task.add: ${JSON.stringify(reply.body)}`);
  return Number(reply.body.result.task.id);
}

/** A non-admin employee's webhook with the task scope, who takes part in no task. */
const OUTSIDER = { user: ["task"] };

// ---------------------------------------------------------------- classic task shapes

/** The user blocks of the classic task (creator, responsible, *Data entries). */
const USER_REF = { id: "digits", name: "string", link: "string", icon: "string", workPosition: "string" };

/** `action` as tasks-task-get.md and tasks-task-update.md show it. */
const ACTION = {
  accept: "boolean",
  decline: "boolean",
  complete: "boolean",
  approve: "boolean",
  disapprove: "boolean",
  start: "boolean",
  pause: "boolean",
  delegate: "boolean",
  remove: "boolean",
  edit: "boolean",
  defer: "boolean",
  renew: "boolean",
  create: "boolean",
  changeDeadline: "boolean",
  checklistAddItems: "boolean",
  addFavorite: "boolean",
  deleteFavorite: "boolean",
  rate: "boolean",
  take: "boolean",
  "edit.originator": "boolean",
  "checklist.reorder": "boolean",
  "elapsedtime.add": "boolean",
  "dayplan.timer.toggle": "boolean",
  "edit.plan": "boolean",
  "checklist.add": "boolean",
  "favorite.add": "boolean",
  "favorite.delete": "boolean",
};

/** tasks-task-add.md's example `action` has no `take` (the get and update pages' have). */
const { take: _take, ...ACTION_WITHOUT_TAKE } = ACTION;
const ADD_ACTION = { ...ACTION_WITHOUT_TAKE, "take?": "boolean" };

/** The empty checklist root of tasks-task-add.md's example. */
const CHECKLIST_TREE = {
  nodeId: "number",
  fields: {
    id: "null",
    copiedId: "null",
    entityId: "null",
    userId: "number",
    createdBy: "null",
    parentId: "null",
    title: "string",
    sortIndex: "null",
    displaySortIndex: "string",
    isComplete: "boolean",
    isImportant: "boolean",
    completedCount: "number",
    members: [],
    attachments: [],
    // tasks-task-update.md's example has `nodeId: null` here too; tasks-task-add.md's has not.
    "nodeId?": "null",
  },
  action: [],
  descendants: [],
};

/** The full task tasks.task.add and tasks.task.update answer (their pages' examples). */
const FULL_TASK: Record<string, Shape> = {
  id: "digits",
  // In tasks-task-add.md's example, not in tasks-task-update.md's.
  "parentId?": "digits|null",
  title: "string",
  description: "string",
  mark: "string|null",
  priority: "digits",
  multitask: "Y/N",
  notViewed: "Y/N",
  replicate: "Y/N",
  stageId: "digits",
  // In tasks-task-update.md's example, not in tasks-task-add.md's.
  "sprintId?": "digits|null",
  "backlogId?": "digits|null",
  createdBy: "digits",
  createdDate: "datetime",
  responsibleId: "digits",
  changedBy: "digits",
  changedDate: "datetime",
  statusChangedBy: "digits|null",
  closedBy: "digits|null",
  closedDate: "datetime|null",
  activityDate: "datetime",
  dateStart: "datetime|null",
  deadline: "datetime|null",
  startDatePlan: "datetime|null",
  endDatePlan: "datetime|null",
  guid: "string",
  xmlId: "string|null",
  commentsCount: "digits|null",
  serviceCommentsCount: "digits|null",
  allowChangeDeadline: "Y/N",
  allowTimeTracking: "Y/N",
  taskControl: "Y/N",
  addInReport: "Y/N",
  forkedByTemplateId: "digits|null",
  timeEstimate: "digits",
  timeSpentInLogs: "digits|null",
  matchWorkTime: "Y/N",
  forumTopicId: "digits|null",
  forumId: "digits|null",
  siteId: "string",
  subordinate: "Y/N",
  exchangeModified: "string|null",
  exchangeId: "string|null",
  outlookVersion: "digits",
  viewedDate: "datetime|null",
  sorting: "string|null",
  durationFact: "digits|null",
  isMuted: "Y/N",
  isPinned: "Y/N",
  isPinnedInGroup: "Y/N",
  flowId: "digits|null",
  descriptionInBbcode: "Y/N",
  status: "digits",
  statusChangedDate: "datetime",
  durationPlan: "digits|null",
  durationType: "string",
  favorite: "Y/N",
  groupId: "digits",
  auditors: ["digits"],
  accomplices: ["digits"],
  checklist: [],
  group: [],
  creator: USER_REF,
  responsible: USER_REF,
  // `[]` when nobody (PHP's empty array), else an object keyed by user id.
  accomplicesData: "array|object",
  auditorsData: "array|object",
  newCommentsCount: "number",
  action: ACTION,
  checkListTree: CHECKLIST_TREE,
  checkListCanAdd: "boolean",
};

// ---------------------------------------------------------------- REST 3.0 task shapes

/** `rights` of the REST 3.0 task (tasks-task-add-rest-v3.md, tasks-task-get-rest-v3.md). */
const V3_RIGHTS = Object.fromEntries(
  "read watch mute createResult edit remove complete approve disapprove start take delegate defer renew deadline datePlan changeDirector changeResponsible changeAccomplices pause timeTracking mark changeStatus reminder addAuditors elapsedTime favorite checklistAdd checklistEdit checklistSave checklistToggle automate resultEdit completeResult removeResult resultRead admin createSubtask copy saveAsTemplate attachFile detachFile detachParent createGanttDependence sort"
    .split(" ")
    .map((key) => [key, "boolean"]),
);

/** The basic set of the REST 3.0 task: the keys of the add and get pages' examples. */
const V3_TASK: Record<string, Shape> = {
  id: "number",
  title: "string",
  description: "string",
  deadline: "datetime|null",
  needsControl: "boolean",
  startPlan: "datetime|null",
  endPlan: "datetime|null",
  fileIds: "array|null",
  checklist: ["number"],
  epicId: "number|null",
  storyPoints: "number|null",
  priority: "string",
  status: "string",
  statusChanged: "datetime|null",
  parentId: "number|null",
  containsChecklist: "boolean",
  containsSubTasks: "boolean",
  containsRelatedTasks: "boolean",
  containsGanttLinks: "boolean",
  containsPlacements: "boolean",
  containsResults: "boolean",
  numberOfReminders: "number",
  // The examples show a number; the emulator models no task chats and answers null.
  chatId: "number|null",
  plannedDuration: "number",
  actualDuration: "number",
  durationType: "string",
  started: "datetime|null",
  estimatedTime: "number",
  replicate: "boolean",
  changed: "datetime",
  closed: "datetime|null",
  activity: "datetime",
  guid: "string",
  xmlId: "string|null",
  exchangeId: "string|null",
  exchangeModified: "string|null",
  outlookVersion: "number",
  mark: "string",
  allowsChangeDeadline: "boolean",
  allowsTimeTracking: "boolean",
  matchesWorkTime: "boolean",
  addInReport: "boolean|null",
  isMultitask: "boolean",
  siteId: "string",
  deadlineCount: "number|null",
  declineReason: "string|null",
  forumTopicId: "number|null",
  link: "string",
  rights: V3_RIGHTS,
  archiveLink: "string",
  crmItemIds: ["string"],
  requireResult: "boolean",
  matchesSubTasksTime: "boolean",
  autocompleteSubTasks: "boolean",
  allowsChangeDatePlan: "boolean",
  maxDeadlineChangeDate: "datetime|null",
  maxDeadlineChanges: "number|null",
  requireDeadlineChangeReason: "boolean",
  inFavorite: ["number"],
  inPin: ["number"],
  inGroupPin: ["number"],
  inMute: ["number"],
  dependsOn: [],
  scenarios: ["string"],
};

const V3 = "BITRIX_REST_V3_EXCEPTION_";

/** REST 3.0 tasks for the examples, by the admin: creator and responsible are setup's users. */
async function v3Setup(ctx: PageContext): Promise<void> {
  ctx.vars.creator = await addUser(ctx, "Creator");
  ctx.vars.responsible = await addUser(ctx, "Assignee");
  const add = async (title: string) => {
    const reply = await ctx.callV3("tasks.task.add", {
      fields: { title, creatorId: 1, responsibleId: ctx.vars.responsible },
    });
    if (reply.status !== 200) throw new Error(`tasks.task.add: ${JSON.stringify(reply.body)}`);
    return reply.body.result.item.id as number;
  };
  ctx.vars.id = await add("Collect feedback");
  ctx.vars.second = await add("Prepare the contract");
  ctx.vars.third = await add("Approve the estimate");
  // A subtask of the first, for the cyclic-parent refusal.
  await ctx.callV3("tasks.task.update", { id: ctx.vars.second, fields: { parentId: ctx.vars.id } });
}

// ---------------------------------------------------------------- Drive shapes

const DISK_COMMON = {
  ID: "digits",
  NAME: "string",
  CODE: "string|null",
  STORAGE_ID: "digits",
  TYPE: "string",
  PARENT_ID: "digits",
  DELETED_TYPE: "digits",
  CREATE_TIME: "datetime",
  UPDATE_TIME: "datetime",
  DELETE_TIME: "datetime|null",
  CREATED_BY: "digits",
  UPDATED_BY: "digits",
  DELETED_BY: "digits",
  DETAIL_URL: "string",
};
/** disk-file-get.md's example. */
const DISK_FILE = {
  ...DISK_COMMON,
  GLOBAL_CONTENT_VERSION: "digits",
  FILE_ID: "digits",
  SIZE: "digits",
  DOWNLOAD_URL: "string",
};
/** disk-folder-get.md's example. */
const DISK_FOLDER = { ...DISK_COMMON, REAL_OBJECT_ID: "digits" };

export const taskDiskPages: MethodPage[] = [
  // ============================================================ classic tasks
  {
    method: "tasks.task.add",
    page: "api-reference/tasks/tasks-task-add.md",
    scope: "task",
    parameters: [{ name: "fields", required: true }],
    setup: async (ctx) => {
      ctx.vars.creator = await addUser(ctx, "Creator");
      ctx.vars.responsible = await addUser(ctx, "Assignee");
      ctx.vars.fileId = await firstFileId(ctx);
    },
    calls: [
      {
        params: (ctx) => ({
          fields: {
            TITLE: "Task Title",
            DEADLINE: "2025-12-31T23:59:59",
            CREATED_BY: ctx.vars.creator,
            RESPONSIBLE_ID: ctx.vars.responsible,
            UF_CRM_TASK: ["L_4", "C_7", "CO_5", "D_10"],
            UF_TASK_WEBDAV_FILES: [`n${ctx.vars.fileId}`],
          },
        }),
        result: { task: { ...FULL_TASK, action: ADD_ACTION } },
        check: (result, ctx) =>
          expect(result.task).toMatchObject({
            title: "Task Title",
            createdBy: String(ctx.vars.creator),
            responsibleId: String(ctx.vars.responsible),
            status: "2",
          }),
      },
    ],
    errors: [
      {
        when: "fields is empty",
        status: 400,
        error: "100",
        description: "Could not find value for parameter {fields} (internal error)",
        params: { fields: {} },
      },
      {
        when: "RESPONSIBLE_ID names no user",
        status: 400,
        error: "ERROR_CORE",
        // The add and update pages word this differently; both say this much.
        description: 'specified in the "Responsible" field',
        params: { fields: { TITLE: "x", RESPONSIBLE_ID: 999999 } },
      },
      {
        when: "RESPONSIBLE_ID is not filled",
        status: 400,
        error: "ERROR_CORE",
        description: "Responsible person not specified",
        params: { fields: { TITLE: "x" } },
      },
      {
        when: "TITLE is not filled",
        status: 400,
        error: "ERROR_CORE",
        // The page's error example (its table says "Task title not specified").
        description: "Task title is not specified<br>",
        params: { fields: { RESPONSIBLE_ID: 1 } },
      },
      {
        // "Incorrect status" here, "Invalid status" on tasks-task-update.md: no text checked.
        when: "STATUS is not a status",
        status: 400,
        error: "ERROR_CORE",
        params: { fields: { TITLE: "x", RESPONSIBLE_ID: 1, STATUS: 99 } },
      },
      {
        when: "PARENT_ID names no task",
        status: 400,
        error: "ERROR_CORE",
        description: 'specified in the "Parent Task" field',
        params: { fields: { TITLE: "x", RESPONSIBLE_ID: 1, PARENT_ID: 999999 } },
      },
      {
        when: "END_DATE_PLAN is before START_DATE_PLAN",
        status: 400,
        error: "ERROR_CORE",
        description: "is earlier than the start date",
        params: {
          fields: {
            TITLE: "x",
            RESPONSIBLE_ID: 1,
            START_DATE_PLAN: "2025-01-10T10:00:00",
            END_DATE_PLAN: "2025-01-09T10:00:00",
          },
        },
      },
      {
        when: "END_DATE_PLAN is too far in the future",
        status: 400,
        error: "ERROR_CORE",
        description: "is too long",
        params: {
          fields: {
            TITLE: "x",
            RESPONSIBLE_ID: 1,
            START_DATE_PLAN: "2025-01-10T10:00:00",
            END_DATE_PLAN: "2100-01-10T10:00:00",
          },
        },
      },
      // "Required field … value not entered" needs a required user field on tasks: not modelled.
    ],
  },
  {
    method: "tasks.task.get",
    page: "api-reference/tasks/tasks-task-get.md",
    scope: "task",
    // taskId has no asterisk in the table, but the error table calls it required (checked below).
    parameters: [{ name: "taskId" }, { name: "select" }],
    setup: async (ctx) => {
      ctx.vars.responsible = await addUser(ctx, "Assignee");
      ctx.vars.id = await addTask(ctx, {
        TITLE: "Task Example",
        DESCRIPTION: "Task description with [B]formatting[/B]",
        RESPONSIBLE_ID: ctx.vars.responsible,
        DEADLINE: "2025-10-24T19:00:00+02:00",
        UF_CRM_TASK: ["C_627", "CO_591", "L_1177"],
        UF_TASK_WEBDAV_FILES: [`n${await firstFileId(ctx)}`],
      });
    },
    calls: [
      {
        params: (ctx) => ({
          taskId: ctx.vars.id,
          select: [
            "ID",
            "TITLE",
            "DESCRIPTION",
            "CREATED_BY",
            "RESPONSIBLE_ID",
            "DEADLINE",
            "UF_CRM_TASK",
            "UF_TASK_WEBDAV_FILES",
          ],
        }),
        // The example answers favorite, group, action and ufMailMessage beside the selected fields.
        result: {
          task: {
            id: "digits",
            title: "string",
            description: "string",
            createdBy: "digits",
            responsibleId: "digits",
            deadline: "datetime|null",
            ufCrmTask: ["string"],
            ufTaskWebdavFiles: ["number"],
            ufMailMessage: "null|number",
            descriptionInBbcode: "Y/N",
            favorite: "Y/N",
            group: [],
            creator: USER_REF,
            responsible: USER_REF,
            action: ACTION,
          },
        },
        check: (result) =>
          expect(result.task).toMatchObject({
            title: "Task Example",
            ufCrmTask: ["C_627", "CO_591", "L_1177"],
          }),
      },
      {
        title: "a task that does not exist: an empty array",
        params: { taskId: 999999 },
        result: [],
        check: (result) => expect(result).toEqual([]),
      },
    ],
    errors: [
      {
        when: "taskId is of the wrong type",
        status: 400,
        error: "0",
        description: "wrong task id",
        params: { taskId: "abc" },
      },
      {
        when: "taskId is missing",
        status: 400,
        error: "100",
        description: "CTaskItem All parameters in the constructor must have real class type (internal error)",
        params: {},
      },
      {
        when: "select is empty",
        status: 400,
        error: "100",
        description:
          "Invalid value {} to match with parameter {select}. Should be value of type array. (internal error)",
        params: (ctx) => ({ taskId: ctx.vars.id, select: {} }),
      },
    ],
  },
  {
    method: "tasks.task.list",
    page: "api-reference/tasks/tasks-task-list.md",
    scope: "task",
    parameters: [
      { name: "order" },
      { name: "filter" },
      { name: "select" },
      { name: "params" },
      { name: "start" },
    ],
    setup: async (ctx) => {
      ctx.vars.responsible = await addUser(ctx, "Assignee");
      const auditors = [await addUser(ctx, "Auditor"), await addUser(ctx, "Accountant")];
      ctx.vars.id = await addTask(ctx, {
        TITLE: "Task Example",
        DESCRIPTION: "Task description with [B]formatting[/B]",
        RESPONSIBLE_ID: ctx.vars.responsible,
        DEADLINE: "2099-10-24T19:00:00+02:00",
        PRIORITY: 2,
        AUDITORS: auditors,
        TAGS: ["arpar"],
      });
    },
    calls: [
      {
        params: (ctx) => ({
          order: { DEADLINE: "asc", PRIORITY: "desc" },
          filter: {
            "!STATUS": 6,
            ">=DEADLINE": new Date().toISOString().slice(0, 10),
            RESPONSIBLE_ID: ctx.vars.responsible,
            "::SUBFILTER-PARAMS": { FAVORITE: "Y" },
          },
          select: [
            "ID",
            "TITLE",
            "DESCRIPTION",
            "STATUS",
            "subStatus",
            "DEADLINE",
            "CREATED_DATE",
            "RESPONSIBLE_ID",
            "ACCOMPLICES",
            "AUDITORS",
            "TAGS",
            "COUNTERS",
            "PRIORITY",
            "MARK",
          ],
          params: { WITH_TIMER_INFO: true, WITH_RESULT_INFO: true, WITH_PARSED_DESCRIPTION: true },
        }),
        result: {
          tasks: [
            {
              id: "digits",
              title: "string",
              description: "string",
              deadline: "datetime|null",
              createdDate: "datetime",
              responsibleId: "digits",
              priority: "digits",
              mark: "string|null",
              descriptionInBbcode: "Y/N",
              // In the example, but described nowhere (not in fields.md): not emulated.
              "lengthDeadline?": "digits",
              status: "digits",
              auditors: ["digits"],
              accomplices: ["digits"],
              group: [],
              responsible: USER_REF,
              accomplicesData: "array|object",
              auditorsData: "array|object",
              taskRequireResult: "Y/N",
              taskHasOpenResult: "Y/N",
              taskHasResult: "Y/N",
              timeElapsed: "null|number",
              timerIsRunningForCurrentUser: "Y/N",
              parsedDescription: "string",
              counter: {
                counters: {
                  expired: "number",
                  newComments: "number",
                  projectExpired: "number",
                  projectNewComments: "number",
                  mutedExpired: "number",
                  mutedNewComments: "number",
                },
                color: "string",
                value: "number",
              },
              // Keyed by tag id: {"35": {"id": 35, "title": "arpar"}}.
              tags: "object|array",
              subStatus: "digits",
            },
          ],
        },
        envelope: { total: "number" },
        check: (result, ctx) => {
          expect(result.tasks).toHaveLength(1);
          expect(result.tasks[0]).toMatchObject({ id: String(ctx.vars.id), priority: "2" });
          expect(Object.values(result.tasks[0].tags)).toEqual([{ id: expect.any(Number), title: "arpar" }]);
          expect(Object.keys(result.tasks[0].auditorsData)).toHaveLength(2);
        },
      },
    ],
    errors: [
      {
        when: "order names a field that cannot be sorted by",
        status: 400,
        error: "0",
        description: "Invalid sorting key (internal error)",
        params: { order: { NO_SUCH_FIELD: "asc" } },
      },
    ],
  },
  {
    method: "tasks.task.update",
    page: "api-reference/tasks/tasks-task-update.md",
    scope: "task",
    parameters: [
      { name: "taskId", required: true },
      { name: "fields", required: true },
    ],
    setup: async (ctx) => {
      ctx.vars.responsible = await addUser(ctx, "Assignee");
      ctx.vars.fileId = await firstFileId(ctx);
      ctx.vars.id = await addTask(ctx, { TITLE: "Task Example", RESPONSIBLE_ID: 1 });
      ctx.vars.subtask = await addTask(ctx, { TITLE: "Subtask", RESPONSIBLE_ID: 1, PARENT_ID: ctx.vars.id });
    },
    calls: [
      {
        params: (ctx) => ({
          taskId: ctx.vars.id,
          fields: {
            UF_CRM_TASK: ["L_4", "C_7", "CO_5", "D_10"],
            UF_TASK_WEBDAV_FILES: [`n${ctx.vars.fileId}`],
            RESPONSIBLE_ID: ctx.vars.responsible,
          },
        }),
        result: { task: FULL_TASK },
        check: (result, ctx) =>
          expect(result.task).toMatchObject({ responsibleId: String(ctx.vars.responsible) }),
      },
    ],
    errors: [
      {
        when: "taskId is of the wrong type",
        status: 400,
        error: "0",
        description: "wrong task id",
        params: { taskId: "abc", fields: { TITLE: "x" } },
      },
      {
        when: "taskId is missing",
        status: 400,
        error: "100",
        description: "CTaskItem All parameters in the constructor must have real class type (internal error)",
        params: { fields: { TITLE: "x" } },
      },
      {
        when: "the user may not edit the task",
        as: OUTSIDER,
        status: 400,
        error: "0",
        description: "Action on the task is not allowed (internal error)",
        params: (ctx) => ({ taskId: ctx.vars.id, fields: { TITLE: "x" } }),
      },
      {
        when: "fields is empty",
        status: 400,
        error: "100",
        description: "Could not find value for parameter {fields} (internal error)",
        params: (ctx) => ({ taskId: ctx.vars.id, fields: {} }),
      },
      {
        when: "RESPONSIBLE_ID names no user",
        status: 400,
        error: "ERROR_CORE",
        description: 'The user specified in the "Responsible" field was not found<br>',
        params: (ctx) => ({ taskId: ctx.vars.id, fields: { RESPONSIBLE_ID: 999999 } }),
      },
      {
        when: "STATUS is not a status",
        status: 400,
        error: "ERROR_CORE",
        description: "Invalid status<br>",
        params: (ctx) => ({ taskId: ctx.vars.id, fields: { STATUS: 99 } }),
      },
      {
        when: "PARENT_ID names no task",
        status: 400,
        error: "ERROR_CORE",
        description: 'The task specified in the "Parent Task" field was not found<br>',
        params: (ctx) => ({ taskId: ctx.vars.id, fields: { PARENT_ID: 999999 } }),
      },
      {
        when: "PARENT_ID is the task itself",
        status: 400,
        error: "ERROR_CORE",
        description: "Cannot bind the node to itself<br>",
        params: (ctx) => ({ taskId: ctx.vars.id, fields: { PARENT_ID: ctx.vars.id } }),
      },
      {
        when: "PARENT_ID is one of the task's subtasks",
        status: 400,
        error: "ERROR_CORE",
        description: "Creating cyclic links in tasks is prohibited<br>",
        params: (ctx) => ({ taskId: ctx.vars.id, fields: { PARENT_ID: ctx.vars.subtask } }),
      },
      {
        when: "END_DATE_PLAN is before START_DATE_PLAN",
        status: 400,
        error: "ERROR_CORE",
        description: "The end date specified in the scheduling is earlier than the start date<br>",
        params: (ctx) => ({
          taskId: ctx.vars.id,
          fields: { START_DATE_PLAN: "2025-01-10T10:00:00", END_DATE_PLAN: "2025-01-09T10:00:00" },
        }),
      },
      {
        when: "END_DATE_PLAN is too far in the future",
        status: 400,
        error: "ERROR_CORE",
        description: "The duration of the task specified in the scheduling is too long<br>",
        params: (ctx) => ({
          taskId: ctx.vars.id,
          fields: { START_DATE_PLAN: "2025-01-10T10:00:00", END_DATE_PLAN: "2100-01-10T10:00:00" },
        }),
      },
    ],
  },

  // ============================================================ REST 3.0 tasks
  {
    method: "tasks.task.add",
    v3: true,
    page: "api-reference/tasks/tasks-task-add-rest-v3.md",
    scope: "tasks",
    parameters: [{ name: "fields", required: true }],
    setup: async (ctx) => {
      ctx.vars.creator = await addUser(ctx, "Creator");
      ctx.vars.responsible = await addUser(ctx, "Assignee");
    },
    calls: [
      {
        params: (ctx) => ({
          fields: {
            title: "Task Title",
            deadline: "2025-12-31T23:59:59+02:00",
            creatorId: ctx.vars.creator,
            responsibleId: ctx.vars.responsible,
            crmItemIds: ["L_1000959"],
          },
        }),
        result: { item: V3_TASK },
        check: (result) =>
          expect(result.item).toMatchObject({
            title: "Task Title",
            crmItemIds: ["L_1000959"],
            priority: "average",
            status: "pending",
          }),
      },
    ],
    // The page's error example says "Error during request object validation", rest-v3.md's
    // "Error validating request object": the message is not checked.
    errors: [
      {
        when: "a required field (title) is missing",
        status: 400,
        error: `${V3}VALIDATION_REQUESTVALIDATIONEXCEPTION`,
        params: { fields: { creatorId: 1, responsibleId: 1 } },
      },
      {
        when: "a field has the wrong data type",
        status: 400,
        error: `${V3}VALIDATION_REQUESTVALIDATIONEXCEPTION`,
        params: { fields: { title: "x", creatorId: 1, responsibleId: 1, deadline: "tomorrow" } },
      },
      {
        when: "responsibleId names no user",
        status: 400,
        error: `${V3}VALIDATION_REQUESTVALIDATIONEXCEPTION`,
        params: { fields: { title: "x", creatorId: 1, responsibleId: 999999 } },
      },
      {
        when: "parentId names no task",
        status: 400,
        error: `${V3}VALIDATION_REQUESTVALIDATIONEXCEPTION`,
        params: { fields: { title: "x", creatorId: 1, responsibleId: 1, parentId: 999999 } },
      },
      {
        when: "endPlan is before startPlan",
        status: 400,
        error: `${V3}VALIDATION_REQUESTVALIDATIONEXCEPTION`,
        params: {
          fields: {
            title: "x",
            creatorId: 1,
            responsibleId: 1,
            startPlan: "2025-01-10T10:00:00+02:00",
            endPlan: "2025-01-09T10:00:00+02:00",
          },
        },
      },
      {
        when: "the planned duration is too long",
        status: 400,
        error: `${V3}VALIDATION_REQUESTVALIDATIONEXCEPTION`,
        params: {
          fields: {
            title: "x",
            creatorId: 1,
            responsibleId: 1,
            startPlan: "2025-01-10T10:00:00+02:00",
            endPlan: "2100-01-10T10:00:00+02:00",
          },
        },
      },
    ],
  },
  {
    method: "tasks.task.get",
    v3: true,
    page: "api-reference/tasks/tasks-task-get-rest-v3.md",
    scope: "tasks",
    parameters: [{ name: "id", required: true }, { name: "select" }],
    setup: v3Setup,
    calls: [
      {
        params: (ctx) => ({ id: ctx.vars.id, select: ["responsible.name", "responsible.email"] }),
        // Only related fields selected: the basic set plus the related object (the page's example).
        result: { item: { ...V3_TASK, responsible: { name: "string", email: "string" } } },
        check: (result, ctx) => {
          expect(result.item.id).toBe(ctx.vars.id);
          expect(result.item.responsible.name).toBe("Assignee Tester");
        },
      },
      {
        title: "plain fields in select: only those (rest-v3.md, an unknown one left out)",
        params: (ctx) => ({ id: ctx.vars.id, select: ["id", "stageId", "noSuchField"] }),
        result: { item: { id: "number", stageId: "number|null" } },
      },
    ],
    errors: [
      {
        when: "id is a string",
        status: 400,
        error: `${V3}VALIDATION_REQUESTVALIDATIONEXCEPTION`,
        params: { id: "abc" },
      },
      {
        when: "no task has the id",
        status: 400,
        error: `${V3}ENTITYNOTFOUNDEXCEPTION`,
        description: "Record with ID = `999999` not found",
        params: { id: 999999 },
      },
      {
        when: "select names an unknown field of a related object",
        status: 400,
        error: `${V3}UNKNOWNDTOPROPERTYEXCEPTION`,
        description: "Unknown field `stageId` for entity `UserDto`",
        params: (ctx) => ({ id: ctx.vars.id, select: ["responsible.stageId"] }),
      },
    ],
  },
  {
    method: "tasks.task.update",
    v3: true,
    page: "api-reference/tasks/tasks-task-update-rest-v3.md",
    scope: "tasks",
    parameters: [
      { name: "id", required: true },
      { name: "fields", required: true },
    ],
    setup: v3Setup,
    calls: [
      {
        // The page's example also sends `creatorId`, which its own error table refuses as not
        // editable: the call is made without it.
        params: (ctx) => ({
          id: ctx.vars.third,
          fields: {
            title: "Task Title",
            deadline: "2025-12-31T23:59:59+02:00",
            responsibleId: ctx.vars.responsible,
            crmItemIds: ["L_1000959"],
          },
        }),
        result: { result: "boolean" },
        check: async (result, ctx) => {
          expect(result.result).toBe(true);
          const got = await ctx.callV3("tasks.task.get", {
            id: ctx.vars.third,
            select: ["title", "crmItemIds"],
          });
          expect(got.body.result.item).toEqual({ title: "Task Title", crmItemIds: ["L_1000959"] });
        },
      },
    ],
    errors: [
      {
        when: "fields names creatorId, which cannot be changed",
        status: 400,
        error: `${V3}VALIDATION_REQUESTVALIDATIONEXCEPTION`,
        params: (ctx) => ({ id: ctx.vars.id, fields: { creatorId: ctx.vars.creator } }),
      },
      {
        when: "responsibleId names no user",
        status: 400,
        error: `${V3}VALIDATION_REQUESTVALIDATIONEXCEPTION`,
        params: (ctx) => ({ id: ctx.vars.id, fields: { responsibleId: 999999 } }),
      },
      {
        when: "parentId names no task",
        status: 400,
        error: `${V3}VALIDATION_REQUESTVALIDATIONEXCEPTION`,
        params: (ctx) => ({ id: ctx.vars.id, fields: { parentId: 999999 } }),
      },
      {
        when: "parentId is the task itself",
        status: 400,
        error: `${V3}VALIDATION_REQUESTVALIDATIONEXCEPTION`,
        params: (ctx) => ({ id: ctx.vars.id, fields: { parentId: ctx.vars.id } }),
      },
      {
        when: "endPlan is before startPlan",
        status: 400,
        error: `${V3}VALIDATION_REQUESTVALIDATIONEXCEPTION`,
        params: (ctx) => ({
          id: ctx.vars.id,
          fields: { startPlan: "2025-01-10T10:00:00+02:00", endPlan: "2025-01-09T10:00:00+02:00" },
        }),
      },
      {
        when: "the planned duration is too long",
        status: 400,
        error: `${V3}VALIDATION_REQUESTVALIDATIONEXCEPTION`,
        params: (ctx) => ({
          id: ctx.vars.id,
          fields: { startPlan: "2025-01-10T10:00:00+02:00", endPlan: "2100-01-10T10:00:00+02:00" },
        }),
      },
      {
        when: "the task does not exist",
        status: 403,
        error: `${V3}ACCESSDENIEDEXCEPTION`,
        description: "Access denied",
        params: { id: 999999, fields: { title: "x" } },
      },
      {
        when: "the user has no access to the task",
        as: OUTSIDER,
        status: 403,
        error: `${V3}ACCESSDENIEDEXCEPTION`,
        description: "Access denied",
        params: (ctx) => ({ id: ctx.vars.id, fields: { title: "x" } }),
      },
    ],
  },
  {
    method: "tasks.task.delete",
    v3: true,
    page: "api-reference/tasks/tasks-task-delete-rest-v3.md",
    scope: "tasks",
    parameters: [{ name: "id", required: true }],
    setup: v3Setup,
    calls: [
      {
        params: (ctx) => ({ id: ctx.vars.third }),
        result: { result: "boolean" },
        check: async (result, ctx) => {
          expect(result.result).toBe(true);
          const got = await ctx.callV3("tasks.task.get", { id: ctx.vars.third });
          expect(got.body.error).toMatchObject({ code: `${V3}ENTITYNOTFOUNDEXCEPTION` });
        },
      },
    ],
    errors: [
      {
        when: "id is a string",
        status: 400,
        error: `${V3}VALIDATION_REQUESTVALIDATIONEXCEPTION`,
        params: { id: "abc" },
      },
      {
        // The page heads its error example "HTTP Status: 400"; rest-v3.md gives this code 403.
        when: "the user has no access to the task",
        as: OUTSIDER,
        status: 403,
        error: `${V3}ACCESSDENIEDEXCEPTION`,
        description: "Access denied",
        params: (ctx) => ({ id: ctx.vars.id }),
      },
    ],
  },
  {
    method: "tasks.task.list",
    v3: true,
    page: "api-reference/tasks/tasks-task-list-rest-v3.md",
    scope: "tasks",
    parameters: [{ name: "select" }, { name: "filter" }, { name: "order" }, { name: "pagination" }],
    setup: v3Setup,
    calls: [
      {
        // The example filters `id > 1000`; here the bound is just below setup's first task.
        params: (ctx) => ({
          select: ["id", "title", "responsibleId", "deadline", "status"],
          filter: [["id", ">", (ctx.vars.id as number) - 1]],
          order: { id: "ASC" },
          pagination: { page: 1, limit: 20, offset: 0 },
        }),
        result: {
          items: [
            {
              id: "number",
              title: "string",
              responsibleId: "number",
              deadline: "datetime|null",
              status: "string",
            },
          ],
        },
        check: (result, ctx) =>
          expect(result.items.map((i: { id: number }) => i.id)).toEqual([
            ctx.vars.id,
            ctx.vars.second,
            ctx.vars.third,
          ]),
      },
      {
        title: "without select: ids only",
        params: {},
        result: { items: [{ id: "number" }] },
        check: (result) => expect(result.items).toHaveLength(3),
      },
    ],
    errors: [
      {
        when: "filter names a field tasks are not filtered by",
        status: 400,
        error: `${V3}VALIDATION_REQUESTVALIDATIONEXCEPTION`,
        params: { filter: [["title", "=", "Collect feedback"]] },
      },
      {
        when: "filter names a field the task does not have (rest-v3.md)",
        status: 400,
        error: `${V3}UNKNOWNDTOPROPERTYEXCEPTION`,
        params: { filter: [["noSuchField", "=", 1]] },
      },
      {
        when: "filter uses an unknown operator (rest-v3.md)",
        status: 400,
        error: `${V3}UNKNOWNFILTEROPERATOREXCEPTION`,
        params: { filter: [["id", "like", 1]] },
      },
      {
        when: "order names a field tasks are not sorted by",
        status: 400,
        error: `${V3}INVALIDORDEREXCEPTION`,
        description: "Unable to recognize sorting parameter",
        params: { order: { description: "ASC" } },
      },
      {
        when: "order has a direction other than ASC/DESC",
        status: 400,
        error: `${V3}INVALIDORDEREXCEPTION`,
        params: { order: { id: "UP" } },
      },
      {
        when: "pagination.limit is not a number",
        status: 400,
        error: `${V3}INVALIDPAGINATIONEXCEPTION`,
        description: 'Unable to recognize the pagination parameter `{"limit":"abc"}`',
        params: { pagination: { limit: "abc" } },
      },
      {
        when: "pagination.limit is 0",
        status: 400,
        error: `${V3}INVALIDPAGINATIONEXCEPTION`,
        params: { pagination: { limit: 0 } },
      },
    ],
  },

  // ============================================================ REST 3.0's own methods (rest-v3.md)
  ...["rest.documentation.openapi", "documentation"].map(
    (method): MethodPage => ({
      method,
      v3: true,
      page: "api-reference/rest-v3.md",
      scope: "basic",
      parameters: [],
      calls: [
        {
          // The overview's example is cut short (`paths` with one empty entry); its text puts the
          // object schemas in `components.schemas`.
          params: {},
          result: {
            openapi: "string",
            info: { title: "string", version: "string" },
            tags: [{ name: "string", description: "string" }],
            paths: "object",
            components: { schemas: "object", "...": "any" },
          },
          check: (result) => {
            expect(result.info.title).toBe("Bitrix24 REST V3 API");
            expect(result.tags).toContainEqual({ name: "tasks", description: "tasks module methods" });
            expect(Object.keys(result.paths)).toContain("/tasks.task.get");
          },
        },
      ],
    }),
  ),
  {
    method: "rest.scope.list",
    v3: true,
    page: "api-reference/rest-v3.md",
    scope: "basic",
    parameters: [],
    calls: [
      {
        // The overview shows no answer, only that it maps methods to scopes.
        params: {},
        result: "object",
        check: (result) => expect(result.items).toContainEqual({ method: "tasks.task.get", scope: "tasks" }),
      },
    ],
  },

  // ============================================================ Drive
  {
    method: "disk.file.get",
    page: "api-reference/disk/file/disk-file-get.md",
    scope: "disk",
    parameters: [{ name: "id", required: true }],
    setup: async (ctx) => {
      ctx.vars.id = await firstFileId(ctx);
    },
    calls: [
      {
        params: (ctx) => ({ id: ctx.vars.id }),
        result: DISK_FILE,
        check: (result, ctx) => expect(result).toMatchObject({ ID: String(ctx.vars.id), TYPE: "file" }),
      },
    ],
    errors: [
      {
        when: "id is missing",
        status: 400,
        error: "ERROR_ARGUMENT",
        description: "Invalid value of parameter {Parameter #0}",
        params: {},
      },
      {
        when: "no file has the id",
        status: 400,
        error: "ERROR_NOT_FOUND",
        description: "Could not find entity with id `424242`",
        params: { id: 424242 },
      },
      // ACCESS_DENIED needs Drive access rights, which the emulator does not model.
    ],
  },
  {
    method: "disk.folder.get",
    page: "api-reference/disk/folder/disk-folder-get.md",
    scope: "disk",
    parameters: [{ name: "id", required: true }],
    setup: async (ctx) => {
      const folder = (await driveObjects(ctx)).find((o) => o.TYPE === "folder");
      ctx.vars.id = Number(folder?.ID);
    },
    calls: [
      {
        params: (ctx) => ({ id: ctx.vars.id }),
        result: DISK_FOLDER,
        check: (result, ctx) =>
          expect(result).toMatchObject({
            ID: String(ctx.vars.id),
            REAL_OBJECT_ID: String(ctx.vars.id),
            TYPE: "folder",
          }),
      },
    ],
    errors: [
      {
        when: "id is missing",
        status: 400,
        error: "ERROR_ARGUMENT",
        description: "Invalid value of parameter {Parameter #1}",
        params: {},
      },
      {
        when: "no folder has the id",
        status: 400,
        error: "ERROR_NOT_FOUND",
        description: "Could not find entity with id `424242`",
        params: { id: 424242 },
      },
      // ACCESS_DENIED needs Drive access rights, which the emulator does not model.
    ],
  },
  {
    method: "disk.folder.getChildren",
    page: "api-reference/disk/folder/disk-folder-get-children.md",
    scope: "disk",
    parameters: [{ name: "id", required: true }, { name: "filter" }, { name: "order" }, { name: "start" }],
    setup: async (ctx) => {
      // The example filters from a date before its objects were made; here: the drive's creation day.
      const objects = await driveObjects(ctx);
      ctx.vars.since = String(objects[0]?.CREATE_TIME).slice(0, 10);
    },
    calls: [
      {
        params: (ctx) => ({ id: 1, filter: { ">=CREATE_TIME": ctx.vars.since }, order: { NAME: "DESC" } }),
        // Folders and files side by side: each checked against its own shape below.
        result: [
          {
            ...DISK_COMMON,
            "REAL_OBJECT_ID?": "digits",
            "GLOBAL_CONTENT_VERSION?": "digits",
            "FILE_ID?": "digits",
            "SIZE?": "digits",
            "DOWNLOAD_URL?": "string",
          },
        ],
        envelope: { total: "number" },
        check: (result: Array<Record<string, unknown>>) => {
          expect(result.map((o) => o.NAME)).toEqual(["Welcome.txt", "Reports", "Documents"]);
          for (const object of result)
            expect(shapeMismatches(object, object.TYPE === "file" ? DISK_FILE : DISK_FOLDER)).toEqual([]);
        },
      },
    ],
    errors: [
      {
        when: "id is missing",
        status: 400,
        error: "ERROR_ARGUMENT",
        description: "Invalid value of parameter {Parameter #1}",
        params: {},
      },
      {
        when: "no folder has the id",
        status: 400,
        error: "ERROR_NOT_FOUND",
        description: "Could not find entity with id `424242`",
        params: { id: 424242 },
      },
    ],
  },
];
