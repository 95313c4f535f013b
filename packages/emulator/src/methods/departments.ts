import { pageRows } from "../calls/list-query.js";
import type { CallContext, MethodDef } from "../calls/method-def.js";
import { asInt, param } from "../calls/params.js";
import { RestError } from "../calls/rest-error.js";
import type { Portal } from "../state/portal.js";
import type { Row } from "../state/table.js";

/*
 * The company structure: department.fields/get/add/update/delete
 * (api-reference/departments/*.md). Every portal starts with its top-level
 * department (ID 1), the one users are in by default. Errors are 400
 * ERROR_CORE with the texts of the method pages.
 */

const TABLE = "departments";
const FIELDS = ["ID", "NAME", "SORT", "PARENT", "UF_HEAD"] as const;

const core = (text: string) => new RestError(400, "ERROR_CORE", text);

function departments(portal: Portal) {
  const table = portal.table(TABLE);
  if (table.rows.size === 0 && table.seq === 0)
    table.insert({ NAME: "Company", SORT: 500, PARENT: null, UF_HEAD: 1 });
  return table;
}

/** The names of the departments `ids` (user.search looks in them: api-reference/user/user-search.md). */
export function departmentNames(portal: Portal, ids: readonly number[]): string[] {
  const table = departments(portal);
  return ids.flatMap((id) => {
    const name = table.get(id)?.NAME;
    return typeof name === "string" ? [name] : [];
  });
}

function view(row: Row): Record<string, unknown> {
  return {
    ID: String(row.ID),
    NAME: row.NAME,
    SORT: row.SORT,
    ...(row.PARENT !== null && row.PARENT !== undefined ? { PARENT: String(row.PARENT) } : {}),
    ...(row.UF_HEAD ? { UF_HEAD: String(row.UF_HEAD) } : {}),
  };
}

/** A field parameter, upper-case as the method pages write them (`sort`/`order` are department.get's sorting). */
function arg(ctx: CallContext, name: string): unknown {
  return Object.hasOwn(ctx.params, name) ? ctx.params[name] : undefined;
}

function admin(ctx: CallContext): void {
  if (!ctx.user.ADMIN) throw core("Access denied");
}

function existing(ctx: CallContext): Row {
  const id = asInt(arg(ctx, "ID"));
  const row = id === undefined ? undefined : departments(ctx.portal).get(id);
  if (!row) throw core("Department not found");
  return row;
}

export const departmentMethods: MethodDef[] = [
  {
    name: "department.fields",
    scope: "department",
    run: () => ({
      result: {
        ID: "ID",
        NAME: "Department Name",
        SORT: "Sort Order",
        PARENT: "Parent Department",
        UF_HEAD: "Manager",
      },
    }),
  },
  {
    name: "department.get",
    scope: "department",
    run: (ctx) => {
      const filter: Record<string, unknown> = {};
      for (const field of FIELDS) {
        const value = arg(ctx, field);
        if (value !== undefined && value !== null && value !== "") filter[field] = value;
      }
      const sort = String(ctx.params.sort ?? "SORT").toUpperCase();
      const order = String(ctx.params.order ?? "ASC").toUpperCase() === "DESC" ? "DESC" : "ASC";
      return pageRows(
        departments(ctx.portal).all(),
        {
          filter,
          order: { [FIELDS.includes(sort as never) ? sort : "SORT"]: order },
          start: param(ctx.params, "START") ?? param(ctx.params, "start"),
        },
        view,
      );
    },
  },
  {
    name: "department.add",
    scope: "department",
    run: (ctx) => {
      admin(ctx);
      const name = String(arg(ctx, "NAME") ?? "").trim();
      if (!name) throw core("Department name not provided.<br>");
      const parent = asInt(arg(ctx, "PARENT"));
      const table = departments(ctx.portal);
      if (parent === undefined || !table.get(parent))
        throw core("There can only be one top-level department in the company structure");
      const row = table.insert({
        NAME: name,
        SORT: asInt(arg(ctx, "SORT")) ?? 500,
        PARENT: parent,
        UF_HEAD: asInt(arg(ctx, "UF_HEAD")) ?? null,
      });
      return { result: row.ID };
    },
  },
  {
    name: "department.update",
    scope: "department",
    run: (ctx) => {
      admin(ctx);
      const row = existing(ctx);
      const name = arg(ctx, "NAME");
      if (typeof name === "string" && name.trim()) row.NAME = name.trim();
      const sort = asInt(arg(ctx, "SORT"));
      if (sort !== undefined) row.SORT = sort;
      const parent = asInt(arg(ctx, "PARENT"));
      if (parent !== undefined && parent !== row.ID && departments(ctx.portal).get(parent))
        row.PARENT = parent;
      const head = asInt(arg(ctx, "UF_HEAD"));
      if (head !== undefined) row.UF_HEAD = head;
      return { result: true };
    },
  },
  {
    name: "department.delete",
    scope: "department",
    run: (ctx) => {
      admin(ctx);
      const row = existing(ctx);
      departments(ctx.portal).delete(row.ID);
      return { result: true };
    },
  },
];
