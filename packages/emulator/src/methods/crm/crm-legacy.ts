import { pageRows, selectFields } from "../../calls/list-query.js";
import type { CallContext, MethodDef, MethodOutput } from "../../calls/method-def.js";
import { asArray, asRecord, type Params, param } from "../../calls/params.js";
import { Errors } from "../../calls/rest-error.js";
import type { Row } from "../../state/table.js";
import {
  type CrmEntity,
  fieldsMetadata,
  LEGACY_CODES,
  type LegacyCode,
  legacyEntity,
} from "./crm-entities.js";
import { createRecord, recordId, updateRecord } from "./crm-records.js";
import { accessLevel, canAccess, canAdd, visibleRows } from "./crm-rights.js";
import { legacyView } from "./crm-views.js";

/**
 * crm.lead|deal|contact|company .add/.get/.list/.update/.delete/.fields
 * (docs/protocol.md §13.1): UPPER_SNAKE keys, string values, parameters read
 * case-insensitively (`fields`/`FIELDS`), errors with an empty error code.
 */

const denied = () => Errors.legacyCrm("Access denied.");

/** `fields`: PHP accepts any array (JSON object or list); a scalar or nothing is refused. */
function fieldsArg(params: Params): Record<string, unknown> {
  const v = param(params, "fields");
  if (!v || typeof v !== "object") throw Errors.legacyCrm("Parameter 'fields' must be array.");
  return asRecord(v);
}

/**
 * Deals and leads also take CONTACT_IDS (§13.1); the emulator keeps one
 * contact per record, so the first of the list becomes CONTACT_ID.
 */
function legacyInput(entity: CrmEntity, fields: Record<string, unknown>): Record<string, unknown> {
  if (!("CONTACT_ID" in entity.fields) || fields.CONTACT_IDS === undefined || "CONTACT_ID" in fields)
    return fields;
  return { ...fields, CONTACT_ID: asArray(fields.CONTACT_IDS)[0] ?? null };
}

/** Optional `filter`/`order`: absent is fine, a scalar is refused (crm-deal-list.md). */
function optionalArray(params: Params, name: string): unknown {
  const v = param(params, name);
  if (v === undefined || v === null || v === "") return undefined;
  if (typeof v !== "object") throw Errors.legacyCrm(`Parameter '${name}' must be array.`);
  return v;
}

function idArg(params: Params): number {
  const id = recordId(param(params, "id"));
  if (id === undefined) throw Errors.legacyCrm("ID is not defined or invalid.");
  return id;
}

/** The record behind `id`, checked for existence and rights ("none" is refused before the lookup). */
function accessibleRow(ctx: CallContext, entity: CrmEntity): Row {
  const id = idArg(ctx.params);
  if (accessLevel(ctx.user, entity.entityTypeId) === "none") throw denied();
  const row = ctx.portal.table(entity.table).get(id);
  if (!row) throw Errors.legacyCrm("Not found");
  if (!canAccess(ctx.user, entity.entityTypeId, row)) throw denied();
  return row;
}

function methodsFor(code: LegacyCode): MethodDef[] {
  const entity = legacyEntity(code);
  const def = (op: string, run: (ctx: CallContext) => MethodOutput): MethodDef => ({
    name: `crm.${code}.${op}`,
    scope: "crm",
    module: "crm",
    run,
  });
  return [
    def("fields", () => ({ result: fieldsMetadata(entity) })),
    def("add", (ctx) => {
      const fields = legacyInput(entity, fieldsArg(ctx.params));
      if (!canAdd(ctx.user, entity.entityTypeId)) throw denied();
      const row = createRecord({ portal: ctx.portal, userId: ctx.user.ID, nowMs: ctx.nowMs }, entity, fields);
      return { result: row.ID };
    }),
    def("get", (ctx) => {
      const row = accessibleRow(ctx, entity);
      return { result: legacyView(entity, row), rows: 1 };
    }),
    def("list", (ctx) => {
      if (accessLevel(ctx.user, entity.entityTypeId) === "none") throw denied();
      const filter = optionalArray(ctx.params, "filter");
      const order = optionalArray(ctx.params, "order");
      const select = param(ctx.params, "select");
      const rows = ctx.portal.table(entity.table).all();
      const visible = visibleRows(ctx.user, entity.entityTypeId);
      return pageRows(
        rows,
        { filter, order, start: param(ctx.params, "start") },
        (row) => legacyView(entity, selectFields(row, select, entity.defaultSelect), true),
        visible ? { visible } : {},
      );
    }),
    def("update", (ctx) => {
      idArg(ctx.params);
      const fields = legacyInput(entity, fieldsArg(ctx.params));
      const row = accessibleRow(ctx, entity);
      updateRecord({ portal: ctx.portal, userId: ctx.user.ID, nowMs: ctx.nowMs }, entity, row, fields);
      return { result: true };
    }),
    def("delete", (ctx) => {
      const row = accessibleRow(ctx, entity);
      ctx.portal.table(entity.table).delete(row.ID);
      return { result: true };
    }),
  ];
}

export const crmLegacyMethods: MethodDef[] = LEGACY_CODES.flatMap(methodsFor);
