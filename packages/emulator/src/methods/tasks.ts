import { likeMatch, pageRows } from "../calls/list-query.js";
import type { CallContext, MethodDef } from "../calls/method-def.js";
import { asArray, asInt, asRecord, param } from "../calls/params.js";
import { RestError } from "../calls/rest-error.js";
import type { Row } from "../state/table.js";
import {
  canEdit,
  canRead,
  createTask,
  isMember,
  snake,
  TABLE,
  type TaskProblem,
  updateTask,
} from "./task-records.js";
import { ALIASES, COMPUTED, listExtras, selectTask, taskView } from "./task-view.js";
import { isTruthy } from "./users.js";

/*
 * tasks.task.* (docs/protocol.md §13.3). Rows live in portal.table("tasks") with
 * UPPER_SNAKE keys; the wire shape is camelCase with string values. Error
 * codes and texts follow the method pages: ERROR_CORE messages end in "<br>",
 * and the taskId checks answer with the numeric codes "0"/"100".
 */

function fieldKey(name: string): string {
  const key = snake(name);
  return ALIASES[key] ?? key;
}

/** Fields tasks.task.list sorts by (tasks-task-list.md); any other answers "Invalid sorting key". */
const SORTABLE = new Set(
  "ID TITLE TIME_SPENT_IN_LOGS DATE_START CREATED_DATE CHANGED_DATE CLOSED_DATE ACTIVITY_DATE START_DATE_PLAN END_DATE_PLAN DEADLINE REAL_STATUS STATUS_COMPLETE PRIORITY MARK CREATED_BY_LAST_NAME RESPONSIBLE_LAST_NAME GROUP_ID TIME_ESTIMATE ALLOW_CHANGE_DEADLINE ALLOW_TIME_TRACKING MATCH_WORK_TIME FAVORITE SORTING IS_PINNED IS_PINNED_IN_GROUP".split(
    " ",
  ),
);

/** `select` of tasks.task.get must be a non-empty array (tasks-task-get.md's error table). */
function getSelect(ctx: CallContext): unknown {
  const select = param(ctx.params, "select");
  if (select === undefined) return undefined;
  if (typeof select !== "object" || select === null || asArray(select).length === 0) {
    const shown = typeof select === "object" && select !== null ? "{}" : String(select);
    throw new RestError(
      400,
      "100",
      `Invalid value ${shown} to match with parameter {select}. Should be value of type array. (internal error)`,
    );
  }
  return select;
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

function coreError(problems: TaskProblem[]): RestError {
  return new RestError(400, "ERROR_CORE", problems.map((p) => `${p.message}<br>`).join(""));
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
      const select = getSelect(ctx);
      const row = ctx.portal.table(TABLE).get(id);
      // Unknown or inaccessible task: `"result": []` with HTTP 200 (tasks.task.get page).
      if (!row || !canRead(row, ctx.user)) return { result: [] };
      const full = taskView(ctx.portal, row, ctx.user);
      return { result: { task: selectTask(ctx.portal, full, row, select, "get") } };
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
      for (const key of Object.keys(order))
        if (!SORTABLE.has(snake(key))) throw new RestError(400, "0", "Invalid sorting key (internal error)");
      const select = param(ctx.params, "select");
      const extras = asRecord(param(ctx.params, "params"));
      const page = pageRows(
        ctx.portal.table(TABLE).all(),
        {
          filter,
          order: Object.keys(order).length ? order : { ID: "DESC" },
          start: param(ctx.params, "start"),
        },
        (row) => {
          const full = taskView(ctx.portal, row, ctx.user);
          const picked = asArray(select).length
            ? selectTask(ctx.portal, full, row, select, "list")
            : Object.fromEntries(Object.entries(full).filter(([k]) => !COMPUTED.includes(k)));
          return { ...picked, ...listExtras(extras, full) };
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
