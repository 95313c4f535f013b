import { pageRows } from "../../calls/list-query.js";
import type { CallContext, MethodDef, MethodOutput } from "../../calls/method-def.js";
import { asRecord, type Params, param } from "../../calls/params.js";
import { Errors, RestError } from "../../calls/rest-error.js";
import type { Row } from "../../state/table.js";
import { type CrmEntity, isKnownField, LEGACY_CODES, type LegacyCode, legacyEntity } from "./crm-entities.js";
import { legacyFieldsMetadata } from "./crm-metadata.js";
import { createRecord, recordId, updateRecord } from "./crm-records.js";
import { accessLevel, canAccess, canAdd, canChange, visibleRows } from "./crm-rights.js";
import { ufDescriptions } from "./crm-userfield-values.js";
import { legacySelectView, legacyView } from "./crm-views.js";

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

/** Optional `params` of add/update: absent is fine, anything but an object is refused (crm-deal-add.md). */
function checkParamsArg(params: Params): void {
  const v = param(params, "params");
  if (v === undefined || v === null) return;
  if (typeof v !== "object") throw Errors.legacyCrm("Parameter 'params' must be array.");
}

/** Optional `filter`/`order`: absent is fine, a scalar is refused (crm-deal-list.md). */
function optionalArray(params: Params, name: string): unknown {
  const v = param(params, name);
  if (v === undefined || v === null || v === "") return undefined;
  if (typeof v !== "object") throw Errors.legacyCrm(`Parameter '${name}' must be array.`);
  return v;
}

const FILTER_KEY = /^(>=|<=|!=|!@|=%|%=|!%|>|<|=|!|@|%)?(.*)$/;

/**
 * The filter's conditions on fields the type has; the rest are ignored, as the portal
 * ignores them (crm-contact-list.md's example filters on IMPORT, which no contact has).
 */
function knownConditions(entity: CrmEntity, filter: unknown): Record<string, unknown> | undefined {
  if (filter === undefined) return undefined;
  const kept: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(asRecord(filter))) {
    const field = (FILTER_KEY.exec(key)?.[2] ?? key).toUpperCase();
    if (isKnownField(entity, field)) kept[key] = value;
  }
  return kept;
}

function idArg(params: Params): number {
  const id = recordId(param(params, "id"));
  if (id === undefined) throw Errors.legacyCrm("ID is not defined or invalid.");
  return id;
}

function notFound(entity: CrmEntity, op: "get" | "update" | "delete"): RestError {
  const own = entity.notFound?.[op];
  return own ? new RestError(400, own.code, own.text) : Errors.legacyCrm("Not found");
}

/** The record behind `id`, checked for existence and rights ("none" is refused before the lookup). */
function accessibleRow(ctx: CallContext, entity: CrmEntity, op: "get" | "update" | "delete"): Row {
  const id = idArg(ctx.params);
  if (accessLevel(ctx.user, entity.entityTypeId) === "none") throw denied();
  const row = ctx.portal.table(entity.table).get(id);
  if (!row) throw notFound(entity, op);
  if (!canAccess(ctx.user, entity.entityTypeId, row)) throw denied();
  if (op !== "get" && !canChange(ctx.user, entity.entityTypeId, row)) throw denied();
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
  const write = (ctx: CallContext) => ({
    portal: ctx.portal,
    userId: ctx.user.ID,
    nowMs: ctx.nowMs,
    api: "legacy" as const,
  });
  return [
    def("fields", (ctx) => {
      if (entity.fieldsNeedRead && accessLevel(ctx.user, entity.entityTypeId) === "none") throw denied();
      // User fields follow the standard ones (crm-company-fields.md's UF_CRM_… entries).
      return { result: { ...legacyFieldsMetadata(entity), ...ufDescriptions(ctx.portal, code) } };
    }),
    def("add", (ctx) => {
      const fields = fieldsArg(ctx.params);
      checkParamsArg(ctx.params);
      if (!canAdd(ctx.user, entity.entityTypeId)) throw denied();
      const row = createRecord(write(ctx), entity, fields);
      return { result: row.ID };
    }),
    def("get", (ctx) => {
      const row = accessibleRow(ctx, entity, "get");
      return { result: legacyView(entity, row), rows: 1 };
    }),
    def("list", (ctx) => {
      if (accessLevel(ctx.user, entity.entityTypeId) === "none") throw denied();
      const filter = knownConditions(entity, optionalArray(ctx.params, "filter"));
      const order = optionalArray(ctx.params, "order");
      const select = param(ctx.params, "select");
      const rows = ctx.portal.table(entity.table).all();
      const visible = visibleRows(ctx.user, entity.entityTypeId);
      return pageRows(
        rows,
        { filter, order, start: param(ctx.params, "start") },
        (row) => legacySelectView(entity, row, select),
        visible ? { visible } : {},
      );
    }),
    def("update", (ctx) => {
      idArg(ctx.params);
      const fields = fieldsArg(ctx.params);
      checkParamsArg(ctx.params);
      const row = accessibleRow(ctx, entity, "update");
      updateRecord(write(ctx), entity, row, fields);
      return { result: true };
    }),
    def("delete", (ctx) => {
      const row = accessibleRow(ctx, entity, "delete");
      ctx.portal.table(entity.table).delete(row.ID);
      return { result: true };
    }),
  ];
}

export const crmLegacyMethods: MethodDef[] = LEGACY_CODES.flatMap(methodsFor);
