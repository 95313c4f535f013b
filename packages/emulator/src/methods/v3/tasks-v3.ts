import type { CallContext, MethodDef } from "../../calls/method-def.js";
import { asInt, asRecord } from "../../calls/params.js";
import { V3Error, V3Errors } from "../../calls/v3-errors.js";
import { compileV3Filter, type Item } from "../../calls/v3-filter.js";
import type { Portal } from "../../state/portal.js";
import type { Row } from "../../state/table.js";
import type { PortalUser } from "../../state/user.js";
import { canEdit, canRead, createTask, idList, TABLE, updateTask } from "../task-records.js";

/*
 * The REST 3.0 tasks.task.* (api-reference/tasks/tasks-task-*-rest-v3.md, the task object in
 * fields-rest-v3.md): camelCase fields with typed values, `result.item` / `result.items` /
 * `result.result`, related objects through dotted `select` (`responsible.name`), filters and
 * pagination of REST 3.0. The records are the classic methods' own (task-records.ts).
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
const STATUS_CODES: Record<string, number> = {
  pending: 2,
  in_progress: 3,
  supposedly_completed: 4,
  completed: 5,
  deferred: 6,
  declined: 7,
};
const PRIORITY_NAMES: Record<number, string> = { 0: "low", 1: "average", 2: "high" };
const PRIORITY_CODES: Record<string, number> = { low: 0, average: 1, high: 2 };

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
};
const SORTABLE = new Set(
  "id title creatorId created responsibleId deadline startPlan endPlan groupId priority status started estimatedTime changed closed activity mark allowsChangeDeadline allowsTimeTracking".split(
    " ",
  ),
);
const RELATED = new Set(["creator", "responsible", "changedBy", "closedBy", "statusChangedBy", "parent"]);

const num = (value: unknown): number | null => {
  const n = asInt(value);
  return n === undefined || n === 0 ? null : n;
};
const flag = (value: unknown): boolean => value === "Y" || value === true;

/** The task object without related objects (the basic set `tasks.task.get` answers without `select`). */
function taskDto(row: Row): Item {
  return {
    id: row.ID,
    title: row.TITLE ?? "",
    description: row.DESCRIPTION ?? "",
    creatorId: num(row.CREATED_BY),
    created: row.CREATED_DATE ?? null,
    responsibleId: num(row.RESPONSIBLE_ID),
    deadline: row.DEADLINE ?? null,
    needsControl: flag(row.TASK_CONTROL),
    startPlan: row.START_DATE_PLAN ?? null,
    endPlan: row.END_DATE_PLAN ?? null,
    groupId: num(row.GROUP_ID),
    stageId: num(row.STAGE_ID),
    priority: PRIORITY_NAMES[Number(row.PRIORITY)] ?? "average",
    status: STATUS_NAMES[Number(row.STATUS)] ?? "pending",
    statusChanged: row.STATUS_CHANGED_DATE ?? null,
    accomplices: idList(row.ACCOMPLICES),
    auditors: idList(row.AUDITORS),
    parentId: num(row.PARENT_ID),
    started: row.DATE_START ?? null,
    estimatedTime: Number(row.TIME_ESTIMATE ?? 0),
    changed: row.CHANGED_DATE ?? null,
    changedById: num(row.CHANGED_BY),
    statusChangedById: num(row.STATUS_CHANGED_BY),
    closedById: num(row.CLOSED_BY),
    closed: row.CLOSED_DATE ?? null,
    activity: row.ACTIVITY_DATE ?? null,
    guid: row.GUID ?? null,
    xmlId: row.XML_ID ?? null,
    mark: row.MARK ?? "none",
    allowsChangeDeadline: flag(row.ALLOW_CHANGE_DEADLINE),
    allowsTimeTracking: flag(row.ALLOW_TIME_TRACKING),
    matchesWorkTime: flag(row.MATCH_WORK_TIME),
    link: `/company/personal/user/${String(row.RESPONSIBLE_ID ?? row.CREATED_BY)}/tasks/task/view/${row.ID}/`,
  };
}

/** A user as a related object (the user object of fields-rest-v3.md). */
function userDto(portal: Portal, id: unknown): Item | null {
  const user = portal.users.get(Number(id));
  if (!user) return null;
  return {
    id: user.ID,
    name: [user.NAME, user.LAST_NAME].filter(Boolean).join(" "),
    email: user.EMAIL,
    gender: user.PERSONAL_GENDER || null,
    image: null,
  };
}

function related(portal: Portal, row: Row, name: string): Item | null {
  switch (name) {
    case "creator":
      return userDto(portal, row.CREATED_BY);
    case "responsible":
      return userDto(portal, row.RESPONSIBLE_ID);
    case "changedBy":
      return userDto(portal, row.CHANGED_BY);
    case "closedBy":
      return userDto(portal, row.CLOSED_BY);
    case "statusChangedBy":
      return userDto(portal, row.STATUS_CHANGED_BY);
    default: {
      const parent = portal.table(TABLE).get(Number(row.PARENT_ID));
      return parent ? taskDto(parent) : null;
    }
  }
}

/** The fields `select` names: plain ones from the task, dotted ones from its related objects. */
function selected(portal: Portal, row: Row, select: unknown, fallback: "basic" | "id"): Item {
  const dto = taskDto(row);
  if (!Array.isArray(select) || select.length === 0) return fallback === "basic" ? dto : { id: dto.id };
  const out: Item = {};
  for (const entry of select.map(String)) {
    const [head, tail] = entry.split(".", 2) as [string, string | undefined];
    if (tail === undefined) {
      if (head in dto) out[head] = dto[head];
      else if (RELATED.has(head)) out[head] = related(portal, row, head);
      else throw V3Errors.unknownProperty(entry);
      continue;
    }
    if (!RELATED.has(head)) throw V3Errors.unknownProperty(entry);
    const object = related(portal, row, head);
    if (object && !(tail in object)) throw V3Errors.unknownProperty(entry);
    if (!(head in out)) out[head] = object ? {} : null;
    const into = out[head] as Item | null;
    if (into && object) into[tail] = object[tail];
  }
  return out;
}

/** Caller fields (REST 3.0 names) as the record layer's; an unknown name is refused. */
function recordFields(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(fields)) {
    const column = WRITABLE[name];
    if (!column) throw V3Errors.unknownProperty(`fields.${name}`);
    if (name === "status") out[column] = STATUS_CODES[String(value)] ?? value;
    else if (name === "priority") out[column] = PRIORITY_CODES[String(value)] ?? value;
    else out[column] = value;
  }
  return out;
}

function validationOf(errors: string[]): V3Error {
  return V3Errors.validation(errors.map((message) => ({ message, field: "fields" })));
}

function idOf(ctx: CallContext): number {
  const raw = ctx.params.id;
  if (raw === undefined || raw === null || raw === "") throw V3Errors.required("id");
  const id = asInt(raw);
  if (id === undefined || id <= 0)
    throw V3Errors.validation([{ message: "Field `id` must be a positive integer", field: "id" }]);
  return id;
}

function readable(ctx: CallContext, user: PortalUser): Row {
  const id = idOf(ctx);
  const row = ctx.portal.table(TABLE).get(id);
  if (!row) throw V3Errors.entityNotFound("Task", id);
  if (!canRead(row, user)) throw V3Errors.accessDenied();
  return row;
}

function pagination(params: Record<string, unknown>): { offset: number; limit: number } {
  const raw = asRecord(params.pagination);
  const invalid = () =>
    new V3Error(400, "BITRIX_REST_V3_EXCEPTION_INVALIDPAGINATIONEXCEPTION", "Invalid pagination parameters");
  const limit = raw.limit === undefined ? 50 : asInt(raw.limit);
  if (limit === undefined || limit < 1 || limit > 1000) throw invalid();
  const page = raw.page === undefined ? undefined : asInt(raw.page);
  if (page !== undefined && page < 1) throw invalid();
  const offset = raw.offset === undefined ? 0 : asInt(raw.offset);
  if (offset === undefined || offset < 0) throw invalid();
  return { limit, offset: page !== undefined ? (page - 1) * limit : offset };
}

export const taskV3Methods: MethodDef[] = [
  {
    name: "tasks.task.get",
    scope: "tasks",
    altScopes: ["task"],
    module: "tasks",
    run: (ctx) => {
      const row = readable(ctx, ctx.user);
      return { result: { item: selected(ctx.portal, row, ctx.params.select, "basic") } };
    },
  },
  {
    name: "tasks.task.list",
    scope: "tasks",
    altScopes: ["task"],
    module: "tasks",
    run: (ctx) => {
      const filterable = new Set(Object.keys(taskDto({ ID: 0 } as Row)));
      const test = compileV3Filter(ctx.params.filter, filterable);
      const order = Object.entries(asRecord(ctx.params.order));
      for (const [field, direction] of order) {
        if (!SORTABLE.has(field) || !/^(asc|desc)$/i.test(String(direction)))
          throw new V3Error(
            400,
            "BITRIX_REST_V3_EXCEPTION_INVALIDORDEREXCEPTION",
            `Cannot sort by \`${field}\``,
          );
      }
      const { offset, limit } = pagination(ctx.params);
      const rows = ctx.portal
        .table(TABLE)
        .all()
        .filter((row) => canRead(row, ctx.user) && test(taskDto(row)));
      const keys = order.length ? order : [["id", "ASC"]];
      rows.sort((a, b) => {
        for (const [field, direction] of keys) {
          const x = taskDto(a)[field as string] as never;
          const y = taskDto(b)[field as string] as never;
          if (x !== y) return (x < y ? -1 : 1) * (String(direction).toUpperCase() === "DESC" ? -1 : 1);
        }
        return a.ID - b.ID;
      });
      const items = rows
        .slice(offset, offset + limit)
        .map((row) => selected(ctx.portal, row, ctx.params.select, "id"));
      return { result: { items }, rows: items.length };
    },
  },
  {
    name: "tasks.task.add",
    scope: "tasks",
    altScopes: ["task"],
    module: "tasks",
    run: (ctx) => {
      const fields = asRecord(ctx.params.fields);
      if (ctx.params.fields === undefined) throw V3Errors.required("fields");
      const missing = ["title", "creatorId", "responsibleId"].filter(
        (name) => fields[name] === undefined || fields[name] === null || fields[name] === "",
      );
      if (missing.length)
        throw V3Errors.validation(
          missing.map((name) => ({
            message: `Required field \`${name}\` is not specified`,
            field: `fields.${name}`,
          })),
        );
      const created = createTask(ctx.portal, ctx.user.ID, recordFields(fields), ctx.nowMs);
      if ("errors" in created) throw validationOf(created.errors);
      return { result: { item: taskDto(created.row) } };
    },
  },
  {
    name: "tasks.task.update",
    scope: "tasks",
    altScopes: ["task"],
    module: "tasks",
    run: (ctx) => {
      const row = readable(ctx, ctx.user);
      if (ctx.params.fields === undefined) throw V3Errors.required("fields");
      if (!canEdit(row, ctx.user)) throw V3Errors.accessDenied();
      const errors = updateTask(
        ctx.portal,
        row,
        ctx.user.ID,
        recordFields(asRecord(ctx.params.fields)),
        ctx.nowMs,
      );
      if (errors.length) throw validationOf(errors);
      return { result: { result: true } };
    },
  },
  {
    name: "tasks.task.delete",
    scope: "tasks",
    altScopes: ["task"],
    module: "tasks",
    run: (ctx) => {
      const row = readable(ctx, ctx.user);
      if (!(ctx.user.ADMIN || row.CREATED_BY === ctx.user.ID)) throw V3Errors.accessDenied();
      ctx.portal.table(TABLE).delete(row.ID);
      return { result: { result: true } };
    },
  },
];
