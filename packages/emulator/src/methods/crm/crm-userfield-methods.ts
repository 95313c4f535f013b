import type { CallContext, MethodDef, MethodOutput } from "../../calls/method-def.js";
import { asArray, asRecord, type Params, param } from "../../calls/params.js";
import { Errors, RestError } from "../../calls/rest-error.js";
import { hex } from "../../ids.js";
import { fullTypeCode, userFieldTypes } from "../userfield-types.js";
import { LEGACY_CODES, type LegacyCode, legacyEntity } from "./crm-entities.js";
import { recordId } from "./crm-records.js";
import { accessLevel } from "./crm-rights.js";
import { ufInitialValue, ufStoredValue } from "./crm-userfield-values.js";
import {
  BUILT_IN_TYPES,
  defaultSettings,
  type EnumItem,
  LABEL_KEYS,
  LANGS,
  type LangMap,
  saveUserField,
  UF_ENTITY_ID,
  type UserFieldRecord,
  userFieldsOf,
  userFieldTable,
} from "./crm-userfields.js";

/*
 * crm.{lead,deal,contact,company}.userfield.add/get/list/update/delete
 * (api-reference/crm/deals/user-defined-fields/*.md and the lead, contact and
 * company pages): CRM administrators change fields, anyone who may read the
 * object reads them; errors with an empty code as the pages' examples show,
 * ERROR_CORE and ERROR_NOT_FOUND where their tables say so.
 */

const MAX_NAME = 50;

/** The pages word the unknown-type error differently (crm-lead-userfield-add.md: "Invalid …"). */
const BAD_TYPE: Record<LegacyCode, string> = {
  deal: "Incorrect custom type specified.",
  lead: "Invalid custom type specified.",
  contact: "Incorrect custom type specified.",
  company: "Invalid custom type specified.",
};

// "403 Access denied" in the tables with an empty code in the examples (crm-deal-userfield-update.md).
const denied = () => new RestError(403, "", "Access denied.");
const badId = () => Errors.legacyCrm("ID is not defined or invalid.");
const notFound = (id: unknown) =>
  new RestError(400, "ERROR_NOT_FOUND", `The entity with ID '${String(id)}' is not found.`);
const missing = (name: string) => Errors.legacyCrm(`The '${name}' field is not found.`);

function text(v: unknown): string {
  return typeof v === "string" || typeof v === "number" ? String(v).trim() : "";
}

function yn(v: unknown, fallback: "Y" | "N"): "Y" | "N" {
  if (v === undefined || v === null || v === "") return fallback;
  const s = String(v).toUpperCase();
  return v === true || s === "Y" || s === "1" || s === "TRUE" ? "Y" : "N";
}

function fieldsArg(params: Params): Record<string, unknown> {
  const v = param(params, "fields");
  if (!v || typeof v !== "object") throw Errors.legacyCrm("Parameter 'fields' must be array.");
  return asRecord(v);
}

/** `MANAGER_NOTE` and `UF_MANAGER_NOTE` → `UF_CRM_MANAGER_NOTE` (crm-deal-userfield-add.md FIELD_NAME). */
function fieldName(raw: string): string {
  const upper = raw.toUpperCase();
  const name = upper.startsWith("UF_CRM_")
    ? upper
    : upper.startsWith("UF_")
      ? `UF_CRM_${upper.slice(3)}`
      : `UF_CRM_${upper}`;
  if (name.length > MAX_NAME) throw Errors.core("Field name is too long (more than 50 characters).");
  if (!/^[A-Z0-9_]+$/.test(name))
    throw Errors.core("Field name contains invalid characters. Allowed characters are: A-Z, 0-9 and _.");
  return name;
}

/**
 * A built-in type, or an app's registered type by its full code. An app may use
 * only its own types; an administrator's webhook any registered one (widgets/user-field/index.md).
 */
function checkType(ctx: CallContext, code: LegacyCode, type: string): void {
  if ((BUILT_IN_TYPES as readonly string[]).includes(type)) return;
  const own = ctx.caller.kind === "oauth" ? ctx.caller.clientId : undefined;
  const found = userFieldTypes(ctx).find(
    (t) => fullTypeCode(t) === type && (own === undefined || t.CLIENT_ID === own),
  );
  if (!found) throw Errors.core(BAD_TYPE[code]);
}

/** A label: a string for every language, or a lang_map with `fallback` for the languages it lacks. */
function langMap(v: unknown, fallback: string): LangMap {
  const out: LangMap = {};
  if (v !== null && typeof v === "object") {
    const given = asRecord(v);
    for (const lang of LANGS) out[lang] = given[lang] === undefined ? fallback : text(given[lang]);
  } else {
    const s = v === undefined || v === null ? fallback : text(v);
    for (const lang of LANGS) out[lang] = s;
  }
  return out;
}

/** LIST of an enumeration: items with a VALUE, ids from the portal's sequence, XML_IDs unique. */
function enumItems(
  ctx: CallContext,
  current: EnumItem[],
  input: unknown,
  duplicate: (xml: string) => string,
): EnumItem[] {
  const list = [...current];
  const seq = ctx.portal.table("crm_userfield_enums");
  for (const raw of asArray(input)) {
    const e = asRecord(raw);
    const id = recordId(e.ID);
    const at = id === undefined ? -1 : list.findIndex((i) => i.ID === id);
    if (at >= 0 && yn(e.DEL, "N") === "Y") {
      list.splice(at, 1);
      continue;
    }
    const value = text(e.VALUE);
    if (!value && at < 0) continue; // items without VALUE are ignored (crm-deal-userfield-add.md LIST)
    const prev = at >= 0 ? list[at] : undefined;
    const xml = text(e.XML_ID) || prev?.XML_ID || hex(16);
    if (list.some((i, n) => n !== at && i.XML_ID === xml)) throw Errors.core(duplicate(xml));
    const item: EnumItem = {
      ID: prev?.ID ?? ++seq.seq,
      SORT: e.SORT === undefined ? (prev?.SORT ?? 500) : Number(e.SORT) || 0,
      VALUE: value || prev?.VALUE || "",
      DEF: e.DEF === undefined ? (prev?.DEF ?? "N") : yn(e.DEF, "N"),
      XML_ID: xml,
    };
    if (at >= 0) list[at] = item;
    else list.push(item);
  }
  return list.sort((a, b) => a.SORT - b.SORT || a.ID - b.ID);
}

function enumView(items: EnumItem[]) {
  return items.map((i) => ({
    ID: String(i.ID),
    SORT: String(i.SORT),
    VALUE: i.VALUE,
    DEF: i.DEF,
    XML_ID: i.XML_ID,
  }));
}

/** crm-deal-userfield-get.md's record: ids and SORT as strings, labels as lang maps (or one language's string). */
function fieldView(f: UserFieldRecord, lang?: string): Record<string, unknown> {
  const labels: Record<string, unknown> = {};
  for (const key of LABEL_KEYS) {
    if (lang === undefined) labels[key] = f[key];
    else labels[key] = f[key][lang] || null;
  }
  return {
    ID: String(f.ID),
    ENTITY_ID: f.ENTITY_ID,
    FIELD_NAME: f.FIELD_NAME,
    USER_TYPE_ID: f.USER_TYPE_ID,
    XML_ID: f.XML_ID,
    SORT: String(f.SORT),
    MULTIPLE: f.MULTIPLE,
    MANDATORY: f.MANDATORY,
    SHOW_FILTER: f.SHOW_FILTER,
    SHOW_IN_LIST: f.SHOW_IN_LIST,
    EDIT_IN_LIST: f.EDIT_IN_LIST,
    IS_SEARCHABLE: f.IS_SEARCHABLE,
    SETTINGS: f.SETTINGS,
    ...labels,
    ...(f.LIST ? { LIST: enumView(f.LIST) } : {}),
  };
}

function sortIndex(v: unknown, fallback: number): number {
  const n = Math.trunc(Number(v));
  return Number.isFinite(n) && n > 0 ? n : fallback;
}

/** The field behind `id` of this object (a field of another object is refused, as the pages say). */
function fieldById(ctx: CallContext, code: LegacyCode): UserFieldRecord {
  const raw = param(ctx.params, "id");
  const id = recordId(raw);
  if (id === undefined) throw badId();
  const row = userFieldTable(ctx.portal).get(id) as unknown as UserFieldRecord | undefined;
  if (!row) throw notFound(raw);
  if (row.ENTITY_ID !== UF_ENTITY_ID[code]) throw denied();
  return row;
}

/** Every record of the object gets the new field, as a column (its value null, [] or the default). */
function addColumn(ctx: CallContext, code: LegacyCode, f: UserFieldRecord): void {
  for (const row of ctx.portal.table(legacyEntity(code).table).all()) {
    row[f.FIELD_NAME] =
      row[f.FIELD_NAME] === undefined ? ufInitialValue(f) : ufStoredValue(f, row[f.FIELD_NAME]);
  }
}

function dropColumn(ctx: CallContext, code: LegacyCode, name: string): void {
  for (const row of ctx.portal.table(legacyEntity(code).table).all()) delete row[name];
}

const FILTERABLE = new Set([
  "ID",
  "FIELD_NAME",
  "USER_TYPE_ID",
  "XML_ID",
  "SORT",
  "MULTIPLE",
  "MANDATORY",
  "SHOW_FILTER",
  "SHOW_IN_LIST",
  "EDIT_IN_LIST",
  "IS_SEARCHABLE",
]);
const SORTABLE = new Set(["ID", "FIELD_NAME", "USER_TYPE_ID", "XML_ID", "SORT"]);

function objectArg(params: Params, name: string): Record<string, unknown> | undefined {
  const v = param(params, name);
  if (v === undefined || v === null || v === "") return undefined;
  if (typeof v !== "object") throw Errors.legacyCrm(`Parameter '${name}' must be array.`);
  return asRecord(v);
}

function compare(a: unknown, b: unknown): number {
  if (typeof a === "number" && typeof b === "number") return a - b;
  return String(a ?? "").localeCompare(String(b ?? ""));
}

function methodsFor(code: LegacyCode): MethodDef[] {
  const entity = legacyEntity(code);
  const entityId = UF_ENTITY_ID[code];
  const def = (op: string, run: (ctx: CallContext) => MethodOutput): MethodDef => ({
    name: `crm.${code}.userfield.${op}`,
    scope: "crm",
    module: "crm",
    run,
  });
  const admin = (ctx: CallContext) => {
    if (!ctx.user.ADMIN) throw denied();
  };
  const reader = (ctx: CallContext) => {
    if (accessLevel(ctx.user, entity.entityTypeId) === "none") throw denied();
  };
  return [
    def("add", (ctx) => {
      const input = fieldsArg(ctx.params);
      admin(ctx);
      const rawName = text(input.FIELD_NAME);
      if (!rawName) throw missing("FIELD_NAME");
      const name = fieldName(rawName);
      const type = text(input.USER_TYPE_ID);
      if (!type) throw missing("USER_TYPE_ID");
      checkType(ctx, code, type);
      if (userFieldsOf(ctx.portal, entityId).some((f) => f.FIELD_NAME === name))
        throw Errors.core(`A field named "${name}" already exists for the object "${entityId}".`);
      const label = text(input.LABEL);
      const labels = Object.fromEntries(LABEL_KEYS.map((k) => [k, langMap(input[k], label)])) as Record<
        (typeof LABEL_KEYS)[number],
        LangMap
      >;
      const xml = text(input.XML_ID);
      const draft: Omit<UserFieldRecord, "ID"> = {
        ENTITY_ID: entityId,
        FIELD_NAME: name,
        USER_TYPE_ID: type,
        XML_ID: xml || null,
        SORT: sortIndex(input.SORT, 100),
        // Fields of type boolean cannot be multiple (crm-deal-userfield-add.md MULTIPLE).
        MULTIPLE: type === "boolean" ? "N" : yn(input.MULTIPLE, "N"),
        MANDATORY: yn(input.MANDATORY, "N"),
        SHOW_FILTER: yn(input.SHOW_FILTER, "N"),
        SHOW_IN_LIST: yn(input.SHOW_IN_LIST, "N"),
        EDIT_IN_LIST: yn(input.EDIT_IN_LIST, "Y"),
        IS_SEARCHABLE: yn(input.IS_SEARCHABLE, "N"),
        SETTINGS: { ...defaultSettings(type), ...asRecord(input.SETTINGS) },
        ...labels,
      };
      const list =
        type === "enumeration"
          ? enumItems(ctx, [], input.LIST, (x) => `List item with value XML_ID=${x} already exists.`)
          : undefined;
      const row = userFieldTable(ctx.portal).insert({ ...draft, ...(list ? { LIST: list } : {}) });
      addColumn(ctx, code, row as unknown as UserFieldRecord);
      ctx.world.onChange();
      return { result: row.ID };
    }),
    def("get", (ctx) => {
      reader(ctx);
      return { result: fieldView(fieldById(ctx, code)), rows: 1 };
    }),
    def("list", (ctx) => {
      const filter = objectArg(ctx.params, "filter") ?? {};
      const order = objectArg(ctx.params, "order") ?? { SORT: "ASC", ID: "ASC" };
      reader(ctx);
      const lang = filter.LANG === undefined ? undefined : text(filter.LANG).toLowerCase();
      let list = userFieldsOf(ctx.portal, entityId);
      for (const [key, want] of Object.entries(filter)) {
        const k = key.toUpperCase();
        if (!FILTERABLE.has(k)) continue;
        list = list.filter((f) => String(f[k as keyof UserFieldRecord] ?? "") === String(want ?? ""));
      }
      const keys = Object.entries(order)
        .map(([k, dir]) => [k.toUpperCase(), String(dir).toUpperCase() === "DESC" ? -1 : 1] as const)
        .filter(([k]) => SORTABLE.has(k));
      list = [...list].sort((a, b) => {
        for (const [k, dir] of keys) {
          const c = compare(a[k as keyof UserFieldRecord], b[k as keyof UserFieldRecord]);
          if (c !== 0) return c * dir;
        }
        return 0;
      });
      // Labels come as one language's strings with filter.LANG, else not at all (crm-deal-userfield-list.md).
      const result = list.map((f) => {
        const view = fieldView(f, lang);
        if (lang === undefined) for (const key of LABEL_KEYS) delete view[key];
        return view;
      });
      return { result, total: result.length, rows: result.length };
    }),
    def("update", (ctx) => {
      const raw = param(ctx.params, "id");
      if (recordId(raw) === undefined) throw badId();
      const input = fieldsArg(ctx.params);
      admin(ctx);
      const current = fieldById(ctx, code);
      const next: UserFieldRecord = { ...current };
      if (input.MANDATORY !== undefined) next.MANDATORY = yn(input.MANDATORY, current.MANDATORY);
      if (input.SHOW_FILTER !== undefined) next.SHOW_FILTER = yn(input.SHOW_FILTER, "N");
      if (input.SHOW_IN_LIST !== undefined) next.SHOW_IN_LIST = yn(input.SHOW_IN_LIST, "N");
      if (input.EDIT_IN_LIST !== undefined) next.EDIT_IN_LIST = yn(input.EDIT_IN_LIST, "Y");
      if (input.IS_SEARCHABLE !== undefined) next.IS_SEARCHABLE = yn(input.IS_SEARCHABLE, "N");
      if (input.XML_ID !== undefined) next.XML_ID = text(input.XML_ID) || null;
      if (input.SORT !== undefined) next.SORT = sortIndex(input.SORT, current.SORT);
      // SETTINGS overwrites only the keys given; labels are replaced whole, "" where not given.
      if (input.SETTINGS !== undefined) next.SETTINGS = { ...current.SETTINGS, ...asRecord(input.SETTINGS) };
      for (const key of LABEL_KEYS) if (input[key] !== undefined) next[key] = langMap(input[key], "");
      if (current.LIST && input.LIST !== undefined)
        next.LIST = enumItems(
          ctx,
          current.LIST,
          input.LIST,
          (x) => `List item with XML_ID='${x}' already exists`,
        );
      saveUserField(ctx.portal, next);
      ctx.world.onChange();
      return { result: true };
    }),
    def("delete", (ctx) => {
      admin(ctx);
      const f = fieldById(ctx, code);
      userFieldTable(ctx.portal).delete(f.ID);
      dropColumn(ctx, code, f.FIELD_NAME);
      ctx.world.onChange();
      return { result: true };
    }),
  ];
}

export const crmUserFieldMethods: MethodDef[] = LEGACY_CODES.flatMap(methodsFor);
