import { isFilterGroup, pageRows } from "../../calls/list-query.js";
import type { CallContext, MethodDef, MethodOutput } from "../../calls/method-def.js";
import { asArray, asInt, asRecord, type Params, param } from "../../calls/params.js";
import { RestError } from "../../calls/rest-error.js";
import type { Row } from "../../state/table.js";
import { type CrmEntity, entityForType, isKnownField, storedKey } from "./crm-entities.js";
import { itemFieldsMetadata } from "./crm-metadata.js";
import { ufToCamel } from "./crm-names.js";
import { createRecord, updateRecord, type WriteContext } from "./crm-records.js";
import { accessLevel, canAccess, canAdd, canChange, visibleRows } from "./crm-rights.js";
import { ufDescriptions } from "./crm-userfield-values.js";
import { itemView, parseItemSelect } from "./crm-views.js";

/**
 * crm.item.add/get/list/update/delete/fields (docs/protocol.md §13.2): camelCase
 * keys, numbers as numbers, `{item}` / `{items}` wrappers. Types 1–4 use the
 * legacy methods' tables; smart processes are the portal's dynamicTypes.
 * Errors come from the portal's controller layer: `100` for a missing or
 * mistyped argument, `NOT_FOUND`, `ACCESS_DENIED`, `INVALID_ARG_VALUE`.
 */

const argError = (text: string) => new RestError(400, "100", text);
const notFound = (text: string) => new RestError(400, "NOT_FOUND", text);
const accessDenied = (text: string) => new RestError(400, "ACCESS_DENIED", text);
const invalidArg = (text: string) => new RestError(400, "INVALID_ARG_VALUE", text);

/** The texts of crm-item-get.md (reading) and crm-item-add/update/delete.md (writing). */
const CANNOT_VIEW = "You do not have permission to view this item";
const ACCESS_DENIED = "Access denied.";

function intArg(params: Params, name: string): number {
  const v = param(params, name);
  if (v === undefined || v === null || v === "")
    throw argError(`Could not find value for parameter {${name}}`);
  const n = asInt(v);
  if (n === undefined) {
    throw argError(
      `Invalid value {${String(v)}} to match with parameter {${name}}. Should be value of type int.`,
    );
  }
  return n;
}

function fieldsArg(params: Params): Record<string, unknown> {
  const v = param(params, "fields");
  if (v === undefined || v === null) throw argError("Could not find value for parameter {fields}");
  if (typeof v !== "object") {
    throw argError(
      `Invalid value {${String(v)}} to match with parameter {fields}. Should be value of type array.`,
    );
  }
  return asRecord(v);
}

function entityArg(ctx: CallContext): CrmEntity {
  const entity = entityForType(ctx.portal, intArg(ctx.params, "entityTypeId"));
  if (!entity) throw notFound("Smart process not found");
  return entity;
}

function originalUf(params: Params): boolean {
  const v = param(params, "useOriginalUfNames");
  return v === true || String(v ?? "").toUpperCase() === "Y";
}

/** PHP's gettype() of a JSON value, as the portal names it in argument errors. */
function phpType(v: unknown): string {
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : "double";
  if (typeof v === "boolean") return "boolean";
  if (v === null) return "NULL";
  return "string";
}

/** crm.item `fields` (camelCase, `fm`, `contactIds`, …) → stored keys. */
function toStored(entity: CrmEntity, fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) {
    if (k === "fm") {
      for (const e of asArray(v)) {
        const r = asRecord(e);
        const type = String(r.typeId ?? r.TYPE_ID ?? "").toUpperCase();
        if (!entity.multiFields.includes(type)) continue;
        const list = Array.isArray(out[type]) ? (out[type] as unknown[]) : [];
        out[type] = list;
        list.push({ ID: r.id ?? r.ID, VALUE: r.value ?? r.VALUE, VALUE_TYPE: r.valueType ?? r.VALUE_TYPE });
      }
      continue;
    }
    const stored = storedKey(entity, k);
    const spec = entity.fields[stored];
    // Multiple fields take lists (crm-item-add.md's error 100).
    if (spec?.multiple && spec.type !== "crm_multifield" && v !== null && typeof v !== "object") {
      throw argError(`Expected iterable value for multiple field, but got ${phpType(v)} instead`);
    }
    out[stored] = v;
  }
  return out;
}

const FILTER_OP = /^(>=|<=|!=%|!%=|!=|!@|=%|%=|!%|>|<|=|!|@|%)?(.*)$/;

/** Refuses filter fields the type does not have, as the portal does (crm-item-list.md); groups nest. */
function checkFilter(entity: CrmEntity, filter: unknown): void {
  for (const [key, value] of Object.entries(asRecord(filter))) {
    if (key.toLowerCase() === "logic") continue;
    if (isFilterGroup(key, value)) {
      checkFilter(entity, value);
      continue;
    }
    const field = FILTER_OP.exec(key)?.[2] ?? key;
    if (!isKnownField(entity, storedKey(entity, field))) {
      throw invalidArg(`Invalid filter: field '${field}' is not allowed in filter`);
    }
  }
}

function checkOrder(entity: CrmEntity, order: unknown): void {
  for (const [field, dir] of Object.entries(asRecord(order))) {
    if (!isKnownField(entity, storedKey(entity, field))) {
      throw invalidArg(`Invalid order: field '${field}' is not allowed in order`);
    }
    const d = String(dir).toUpperCase();
    if (d !== "ASC" && d !== "DESC") {
      throw invalidArg(
        `Invalid order: allowed sort directions are ASC, DESC. But got '${String(dir)}' for field '${field}'`,
      );
    }
  }
}

/** The item behind `id`, checked for existence and rights. */
function accessibleItem(ctx: CallContext, entity: CrmEntity, deniedText: string, change = false): Row {
  const id = intArg(ctx.params, "id");
  const row = ctx.portal.table(entity.table).get(id);
  if (!row) throw notFound("Item not found");
  if (!canAccess(ctx.user, entity.entityTypeId, row)) throw accessDenied(deniedText);
  if (change && !canChange(ctx.user, entity.entityTypeId, row)) throw accessDenied(deniedText);
  return row;
}

function writeContext(ctx: CallContext): WriteContext {
  return { portal: ctx.portal, userId: ctx.user.ID, nowMs: ctx.nowMs, api: "item" };
}

function def(op: string, run: (ctx: CallContext) => MethodOutput): MethodDef {
  return { name: `crm.item.${op}`, scope: "crm", module: "crm", run };
}

export const crmItemMethods: MethodDef[] = [
  def("fields", (ctx) => {
    const entity = entityArg(ctx);
    // crm-item-fields.md: reading the fields needs read access to the type.
    if (accessLevel(ctx.user, entity.entityTypeId) === "none") throw accessDenied(CANNOT_VIEW);
    // User fields as ufCrm… with their upperName (_include/user-fields-for-examples-cut.md).
    const uf = entity.code ? ufDescriptions(ctx.portal, entity.code) : {};
    const dynamic = Object.fromEntries(
      Object.entries(uf).map(([name, d]) => [
        ufToCamel(name),
        { ...d, title: d.formLabel || name, upperName: name },
      ]),
    );
    return { result: { fields: { ...itemFieldsMetadata(entity), ...dynamic } } };
  }),
  def("add", (ctx) => {
    const entity = entityArg(ctx);
    const fields = fieldsArg(ctx.params);
    if (!canAdd(ctx.user, entity.entityTypeId)) throw accessDenied(ACCESS_DENIED);
    const row = createRecord(writeContext(ctx), entity, toStored(entity, fields));
    return { result: { item: itemView(entity, row, originalUf(ctx.params)) } };
  }),
  def("get", (ctx) => {
    const entity = entityArg(ctx);
    const row = accessibleItem(ctx, entity, CANNOT_VIEW);
    return { result: { item: itemView(entity, row, originalUf(ctx.params)) }, rows: 1 };
  }),
  def("list", (ctx) => {
    const entity = entityArg(ctx);
    const filter = param(ctx.params, "filter");
    const order = param(ctx.params, "order");
    checkFilter(entity, filter);
    checkOrder(entity, order);
    const uf = originalUf(ctx.params);
    const select = parseItemSelect(entity, param(ctx.params, "select"));
    const visible = visibleRows(ctx.user, entity.entityTypeId);
    // Rows the user may not read are left out of the selection (crm-item-list.md), not refused.
    const page = pageRows(
      ctx.portal.table(entity.table).all(),
      { filter, order, start: param(ctx.params, "start") },
      (row) => itemView(entity, row, uf, select),
      { fieldKey: (name) => storedKey(entity, name), groups: true, ...(visible ? { visible } : {}) },
    );
    return { ...page, result: { items: page.result } };
  }),
  def("update", (ctx) => {
    const entity = entityArg(ctx);
    const row = accessibleItem(ctx, entity, ACCESS_DENIED, true);
    const fields = fieldsArg(ctx.params);
    updateRecord(writeContext(ctx), entity, row, toStored(entity, fields));
    return { result: { item: itemView(entity, row, originalUf(ctx.params)) } };
  }),
  def("delete", (ctx) => {
    const entity = entityArg(ctx);
    const row = accessibleItem(ctx, entity, ACCESS_DENIED, true);
    ctx.portal.table(entity.table).delete(row.ID);
    // PHP's empty array: the portal answers `"result": []`.
    return { result: [] };
  }),
];
