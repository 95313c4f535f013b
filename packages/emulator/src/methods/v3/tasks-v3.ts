import type { CallContext, MethodDef } from "../../calls/method-def.js";
import { asInt, asRecord } from "../../calls/params.js";
import { V3Error, V3Errors } from "../../calls/v3-errors.js";
import { compileV3Filter } from "../../calls/v3-filter.js";
import type { Row } from "../../state/table.js";
import { canEdit, canRead, createTask, TABLE, type TaskProblem, updateTask } from "../task-records.js";
import {
  basicDto,
  PRIORITY_CODES,
  STATUS_CODES,
  selected,
  TASK_DTO,
  TASK_FIELDS,
  taskDto,
} from "./task-dto-v3.js";

/*
 * The REST 3.0 tasks.task.* (api-reference/tasks/tasks-task-*-rest-v3.md, the task object in
 * fields-rest-v3.md, task-dto-v3.ts): `result.item` / `result.items` /
 * `result.result`, related objects through dotted `select` (`responsible.name`), filters and
 * pagination of REST 3.0. The records are the classic methods' own (task-records.ts).
 */

/** Writable task fields: REST 3.0 name → stored column (how values convert: task-records.ts applyFields). */
const WRITABLE: Record<string, string> = {
  title: "TITLE",
  description: "DESCRIPTION",
  creatorId: "CREATED_BY",
  responsibleId: "RESPONSIBLE_ID",
  deadline: "DEADLINE",
  startPlan: "START_DATE_PLAN",
  endPlan: "END_DATE_PLAN",
  groupId: "GROUP_ID",
  parentId: "PARENT_ID",
  stageId: "STAGE_ID",
  accomplices: "ACCOMPLICES",
  auditors: "AUDITORS",
  estimatedTime: "TIME_ESTIMATE",
  xmlId: "XML_ID",
  needsControl: "TASK_CONTROL",
  allowsChangeDeadline: "ALLOW_CHANGE_DEADLINE",
  allowsTimeTracking: "ALLOW_TIME_TRACKING",
  matchesWorkTime: "MATCH_WORK_TIME",
  mark: "MARK",
  priority: "PRIORITY",
  status: "STATUS",
  crmItemIds: "UF_CRM_TASK",
};
const FIELD_OF_COLUMN = Object.fromEntries(
  Object.entries(WRITABLE).map(([field, column]) => [column, field]),
);
/** Fields tasks.task.update refuses: set once, at creation (tasks-task-update-rest-v3.md). */
const NOT_EDITABLE = new Set(["creatorId"]);
/** tasks-task-list-rest-v3.md: "filtering by the `id` field is supported for tasks". */
const FILTERABLE = new Set(["id"]);
const SORTABLE = new Set(
  "id title creatorId created responsibleId deadline startPlan endPlan groupId priority status started estimatedTime changed closed activity mark allowsChangeDeadline allowsTimeTracking".split(
    " ",
  ),
);

/** The data type a writable field takes, as the validation message names it (tasks-task-add-rest-v3.md). */
const FIELD_TYPES: Record<string, { type: string; fits: (value: unknown) => boolean }> = {};
const isInt = (v: unknown) => typeof v === "number" && Number.isInteger(v);
const isDate = (v: unknown) =>
  typeof v === "string" && /^\d{4}-\d\d-\d\d/.test(v) && !Number.isNaN(Date.parse(v));
for (const name of ["creatorId", "responsibleId", "groupId", "parentId", "stageId", "estimatedTime"])
  FIELD_TYPES[name] = { type: "int", fits: isInt };
for (const name of ["deadline", "startPlan", "endPlan"])
  FIELD_TYPES[name] = { type: "DateTime", fits: isDate };
for (const name of ["title", "description", "xmlId"])
  FIELD_TYPES[name] = { type: "string", fits: (v) => typeof v === "string" };
for (const name of ["needsControl", "allowsChangeDeadline", "allowsTimeTracking", "matchesWorkTime"])
  FIELD_TYPES[name] = { type: "bool", fits: (v) => typeof v === "boolean" };
for (const name of ["accomplices", "auditors"])
  FIELD_TYPES[name] = { type: "array", fits: (v) => Array.isArray(v) && v.every(isInt) };
FIELD_TYPES.crmItemIds = {
  type: "array",
  fits: (v) => Array.isArray(v) && v.every((i) => typeof i === "string"),
};

/** Caller fields (REST 3.0 names) as the record layer's; an unknown name or a value of another type is refused. */
function recordFields(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const mistyped = Object.entries(fields)
    .filter(([name, value]) => value !== null && FIELD_TYPES[name] && !FIELD_TYPES[name].fits(value))
    .map(([field]) => ({
      message: `Field \`${field}\` requires data type \`${FIELD_TYPES[field]!.type}\` for this request`,
      field,
    }));
  if (mistyped.length) throw V3Errors.validation(mistyped);
  for (const [name, value] of Object.entries(fields)) {
    const column = WRITABLE[name];
    if (!column) throw V3Errors.unknownProperty(name, TASK_DTO);
    if (name === "status") out[column] = STATUS_CODES[String(value)] ?? value;
    else if (name === "priority") out[column] = PRIORITY_CODES[String(value)] ?? value;
    else out[column] = value;
  }
  return out;
}

/** The record layer's problems, each on the REST 3.0 field it concerns (the pages' error tables). */
function validationOf(problems: TaskProblem[]): V3Error {
  return V3Errors.validation(
    problems.map(({ column, message }) => ({ message, field: FIELD_OF_COLUMN[column] ?? column })),
  );
}

/** `id`: required and a JSON integer (tasks-task-get-rest-v3.md: "a number, not a string"). */
function idOf(ctx: CallContext): number {
  const raw = ctx.params.id;
  if (raw === undefined || raw === null || raw === "") throw V3Errors.required("id");
  if (typeof raw !== "number" || !Number.isInteger(raw))
    throw V3Errors.validation([
      { message: "Field `id` requires data type `int` for this request", field: "id" },
    ]);
  return raw;
}

/** A task the caller may read: unknown ids are ENTITYNOTFOUND, others' tasks ACCESSDENIED. */
function readable(ctx: CallContext): Row {
  const id = idOf(ctx);
  const row = ctx.portal.table(TABLE).get(id);
  if (!row) throw V3Errors.entityNotFound(id);
  if (!canRead(row, ctx.user)) throw V3Errors.accessDenied();
  return row;
}

/** A task the caller may change; an unknown one is ACCESSDENIED too (tasks-task-update-rest-v3.md). */
function changeable(ctx: CallContext, may: (row: Row) => boolean): Row {
  const row = ctx.portal.table(TABLE).get(idOf(ctx));
  if (!row || !canRead(row, ctx.user) || !may(row)) throw V3Errors.accessDenied();
  return row;
}

function pagination(params: Record<string, unknown>): { offset: number; limit: number } {
  const given = params.pagination;
  const raw = asRecord(given);
  // "Unable to recognize the pagination parameter `{"limit":"abc"}`" (tasks-task-list-rest-v3.md).
  const invalid = () =>
    new V3Error(
      400,
      "BITRIX_REST_V3_EXCEPTION_INVALIDPAGINATIONEXCEPTION",
      `Unable to recognize the pagination parameter \`${JSON.stringify(given)}\``,
    );
  if (given !== undefined && (typeof given !== "object" || given === null || Array.isArray(given)))
    throw invalid();
  const limit = raw.limit === undefined ? 50 : asInt(raw.limit);
  if (limit === undefined || limit < 1 || limit > 1000) throw invalid();
  const page = raw.page === undefined ? undefined : asInt(raw.page);
  if (page !== undefined && page < 1) throw invalid();
  const offset = raw.offset === undefined ? 0 : asInt(raw.offset);
  if (offset === undefined || offset < 0) throw invalid();
  return { limit, offset: page !== undefined ? (page - 1) * limit : offset };
}

function sortOrder(params: Record<string, unknown>): Array<[string, string]> {
  const order = Object.entries(asRecord(params.order)).map(
    ([field, dir]) => [field, String(dir)] as [string, string],
  );
  for (const [field, direction] of order) {
    if (!SORTABLE.has(field) || !/^(asc|desc)$/i.test(direction))
      throw new V3Error(
        400,
        "BITRIX_REST_V3_EXCEPTION_INVALIDORDEREXCEPTION",
        `Unable to recognize sorting parameter \`${JSON.stringify({ [field]: direction })}\``,
      );
  }
  return order.length ? order : [["id", "ASC"]];
}

function compare(x: unknown, y: unknown): number {
  if (x === y) return 0;
  if (x === null || x === undefined) return -1;
  if (y === null || y === undefined) return 1;
  return (x as never) < (y as never) ? -1 : 1;
}

export const taskV3Methods: MethodDef[] = [
  {
    name: "tasks.task.get",
    scope: "tasks",
    altScopes: ["task"],
    module: "tasks",
    run: (ctx) => {
      const row = readable(ctx);
      return { result: { item: selected(ctx.portal, row, ctx.user, ctx.params.select, "basic") } };
    },
  },
  {
    name: "tasks.task.list",
    scope: "tasks",
    altScopes: ["task"],
    module: "tasks",
    run: (ctx) => {
      const test = compileV3Filter(ctx.params.filter, {
        entity: TASK_DTO,
        known: TASK_FIELDS,
        filterable: FILTERABLE,
      });
      const order = sortOrder(ctx.params);
      const { offset, limit } = pagination(ctx.params);
      const rows = ctx.portal
        .table(TABLE)
        .all()
        .filter((row) => canRead(row, ctx.user))
        .map((row) => ({ row, dto: taskDto(ctx.portal, row, ctx.user) }))
        .filter(({ dto }) => test(dto));
      rows.sort((a, b) => {
        for (const [field, direction] of order) {
          const c = compare(a.dto[field], b.dto[field]);
          if (c !== 0) return direction.toUpperCase() === "DESC" ? -c : c;
        }
        return a.row.ID - b.row.ID;
      });
      const items = rows
        .slice(offset, offset + limit)
        .map(({ row }) => selected(ctx.portal, row, ctx.user, ctx.params.select, "id"));
      return { result: { items }, rows: items.length };
    },
  },
  {
    name: "tasks.task.add",
    scope: "tasks",
    altScopes: ["task"],
    module: "tasks",
    run: (ctx) => {
      if (ctx.params.fields === undefined) throw V3Errors.required("fields");
      const fields = asRecord(ctx.params.fields);
      const missing = ["title", "creatorId", "responsibleId"].filter(
        (name) => fields[name] === undefined || fields[name] === null || fields[name] === "",
      );
      if (missing.length)
        throw V3Errors.validation(
          missing.map((field) => ({ message: `Required field \`${field}\` is not specified`, field })),
        );
      const created = createTask(ctx.portal, ctx.user.ID, recordFields(fields), ctx.nowMs);
      if ("errors" in created) throw validationOf(created.errors);
      return { result: { item: basicDto(ctx.portal, created.row, ctx.user) } };
    },
  },
  {
    name: "tasks.task.update",
    scope: "tasks",
    altScopes: ["task"],
    module: "tasks",
    run: (ctx) => {
      idOf(ctx);
      if (ctx.params.fields === undefined) throw V3Errors.required("fields");
      const fields = asRecord(ctx.params.fields);
      const fixed = Object.keys(fields).filter((name) => NOT_EDITABLE.has(name));
      if (fixed.length)
        throw V3Errors.validation(
          fixed.map((field) => ({
            message: `In DTO \`${TASK_DTO}\`, the field \`${field}\` requires the presence of the \`Editable\` attribute for such a request`,
            field,
          })),
        );
      const row = changeable(ctx, (task) => canEdit(task, ctx.user));
      const problems = updateTask(ctx.portal, row, ctx.user.ID, recordFields(fields), ctx.nowMs);
      if (problems.length) throw validationOf(problems);
      return { result: { result: true } };
    },
  },
  {
    name: "tasks.task.delete",
    scope: "tasks",
    altScopes: ["task"],
    module: "tasks",
    run: (ctx) => {
      const row = changeable(ctx, (task) => ctx.user.ADMIN || task.CREATED_BY === ctx.user.ID);
      ctx.portal.table(TABLE).delete(row.ID);
      return { result: { result: true } };
    },
  },
];
