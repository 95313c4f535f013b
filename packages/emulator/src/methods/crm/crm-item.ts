import { pageRows } from "../../calls/list-query.js";
import type { CallContext, MethodDef, MethodOutput } from "../../calls/method-def.js";
import { asArray, asInt, asRecord, type Params, param } from "../../calls/params.js";
import { RestError } from "../../calls/rest-error.js";
import type { Row } from "../../state/table.js";
import {
  type CrmEntity,
  entityForType,
  fieldsMetadata,
  isKnownField,
  itemKey,
  storedKey,
} from "./crm-entities.js";
import { createRecord, updateRecord } from "./crm-records.js";
import { canAccess, canAdd, visibleRows } from "./crm-rights.js";
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

/** crm.item `fields` (camelCase, `fm`, `contactIds`) → stored keys. */
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
    } else if (k === "contactIds" && "CONTACT_ID" in entity.fields) {
      // One stored contact per record: the first of the list becomes CONTACT_ID.
      if (!("contactId" in fields)) out.CONTACT_ID = asArray(v)[0] ?? null;
    } else {
      out[storedKey(entity, k)] = v;
    }
  }
  return out;
}

const FILTER_OP = /^(>=|<=|!=|!@|=%|%=|!%|>|<|=|!|@|%)?(.*)$/;

/** Refuses filter/order fields the type does not have, as the portal does (crm-item-list.md). */
function checkListArgs(entity: CrmEntity, filter: unknown, order: unknown): void {
  for (const key of Object.keys(asRecord(filter))) {
    const field = FILTER_OP.exec(key)?.[2] ?? key;
    if (/^\d+$/.test(field) || field === "logic") {
      throw invalidArg("Invalid filter: nested condition groups are not supported by the emulator");
    }
    if (!isKnownField(entity, storedKey(entity, field))) {
      throw invalidArg(`Invalid filter: field '${field}' is not allowed in filter`);
    }
  }
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
function accessibleItem(ctx: CallContext, entity: CrmEntity, action: string): Row {
  const id = intArg(ctx.params, "id");
  const row = ctx.portal.table(entity.table).get(id);
  if (!row) throw notFound("Item not found");
  if (!canAccess(ctx.user, entity.entityTypeId, row)) {
    throw accessDenied(`You do not have permission to ${action} this item`);
  }
  return row;
}

function def(op: string, run: (ctx: CallContext) => MethodOutput): MethodDef {
  return { name: `crm.item.${op}`, scope: "crm", module: "crm", run };
}

export const crmItemMethods: MethodDef[] = [
  def("fields", (ctx) => {
    const entity = entityArg(ctx);
    const uf = originalUf(ctx.params);
    const fields: Record<string, unknown> = {};
    for (const [name, meta] of Object.entries(fieldsMetadata(entity))) {
      fields[itemKey(entity, name, uf)] = { ...meta, upperName: name };
    }
    return { result: { fields } };
  }),
  def("add", (ctx) => {
    const entity = entityArg(ctx);
    const fields = fieldsArg(ctx.params);
    if (!canAdd(ctx.user, entity.entityTypeId))
      throw accessDenied("You do not have permission to add an item");
    const row = createRecord(
      { portal: ctx.portal, userId: ctx.user.ID, nowMs: ctx.nowMs },
      entity,
      toStored(entity, fields),
    );
    return { result: { item: itemView(entity, row, originalUf(ctx.params)) } };
  }),
  def("get", (ctx) => {
    const entity = entityArg(ctx);
    const row = accessibleItem(ctx, entity, "view");
    return { result: { item: itemView(entity, row, originalUf(ctx.params)) }, rows: 1 };
  }),
  def("list", (ctx) => {
    const entity = entityArg(ctx);
    const filter = param(ctx.params, "filter");
    const order = param(ctx.params, "order");
    checkListArgs(entity, filter, order);
    const uf = originalUf(ctx.params);
    const select = parseItemSelect(entity, param(ctx.params, "select"));
    const visible = visibleRows(ctx.user, entity.entityTypeId);
    // Rows the user may not read are left out of the selection (crm-item-list.md), not refused.
    const page = pageRows(
      ctx.portal.table(entity.table).all(),
      { filter, order, start: param(ctx.params, "start") },
      (row) => itemView(entity, row, uf, select),
      { fieldKey: (name) => storedKey(entity, name), ...(visible ? { visible } : {}) },
    );
    return { ...page, result: { items: page.result } };
  }),
  def("update", (ctx) => {
    const entity = entityArg(ctx);
    const row = accessibleItem(ctx, entity, "update");
    const fields = fieldsArg(ctx.params);
    updateRecord(
      { portal: ctx.portal, userId: ctx.user.ID, nowMs: ctx.nowMs },
      entity,
      row,
      toStored(entity, fields),
    );
    return { result: { item: itemView(entity, row, originalUf(ctx.params)) } };
  }),
  def("delete", (ctx) => {
    const entity = entityArg(ctx);
    const row = accessibleItem(ctx, entity, "delete");
    ctx.portal.table(entity.table).delete(row.ID);
    // PHP's empty array: the portal answers `"result": []`.
    return { result: [] };
  }),
];
