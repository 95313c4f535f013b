import { asArray } from "../../calls/params.js";
import type { Portal } from "../../state/portal.js";
import type { LegacyCode } from "./crm-entities.js";
import {
  labelIn,
  UF_ENTITY_ID,
  type UserFieldRecord,
  userFieldByName,
  userFieldsOf,
} from "./crm-userfields.js";

/*
 * Values of defined user fields on CRM records, and how crm.<entity>.fields
 * describes the fields (crm-company-fields.md's UF_CRM_… entries: isDynamic,
 * title = the name, listLabel/formLabel/filterLabel, settings). A multiple
 * field holds an array; booleans are true/false (crm-lead-list.md's example).
 */

function blank(v: unknown): boolean {
  return v === undefined || v === null || v === "";
}

function one(type: string, v: unknown): unknown {
  if (blank(v)) return null;
  switch (type) {
    case "integer":
    case "employee": {
      const n = Math.trunc(Number(v));
      return Number.isFinite(n) ? n : null;
    }
    case "double": {
      const n = Number(v);
      return Number.isFinite(n) ? n : null;
    }
    case "boolean": {
      const s = String(v).toUpperCase();
      return v === true || s === "1" || s === "Y" || s === "TRUE";
    }
    default:
      // App types store what setValue or the REST call gave: a string, objects as JSON.
      return typeof v === "object" ? JSON.stringify(v) : String(v);
  }
}

/** An input value in its stored form for `field`. */
export function ufStoredValue(field: UserFieldRecord, v: unknown): unknown {
  if (field.MULTIPLE === "Y") {
    const list = Array.isArray(v) ? v : blank(v) ? [] : asArray(v);
    return list.map((x) => one(field.USER_TYPE_ID, x)).filter((x) => x !== null);
  }
  return one(field.USER_TYPE_ID, Array.isArray(v) ? v[0] : v);
}

/** What a record holds for a field nobody has set: null, [] when multiple, a boolean's default. */
export function ufInitialValue(field: UserFieldRecord): unknown {
  if (field.MULTIPLE === "Y") return [];
  const def = field.SETTINGS.DEFAULT_VALUE;
  if (field.USER_TYPE_ID === "boolean") return Number(def ?? 0) >= 1;
  if (["string", "integer", "double"].includes(field.USER_TYPE_ID) && !blank(def))
    return one(field.USER_TYPE_ID, def);
  return null;
}

/** The definition behind a record key, if the portal has one. */
export function ufDefinition(portal: Portal, code: LegacyCode | undefined, key: string) {
  return code ? userFieldByName(portal, UF_ENTITY_ID[code], key) : undefined;
}

/** crm.<entity>.fields' entries for the object's user fields. */
export function ufDescriptions(portal: Portal, code: LegacyCode): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const f of userFieldsOf(portal, UF_ENTITY_ID[code])) {
    out[f.FIELD_NAME] = {
      type: f.USER_TYPE_ID,
      isRequired: f.MANDATORY === "Y",
      isReadOnly: false,
      isImmutable: false,
      isMultiple: f.MULTIPLE === "Y",
      isDynamic: true,
      ...(f.LIST ? { items: f.LIST.map((i) => ({ ID: String(i.ID), VALUE: i.VALUE })) } : {}),
      title: f.FIELD_NAME,
      listLabel: labelIn(f.LIST_COLUMN_LABEL, "en"),
      formLabel: labelIn(f.EDIT_FORM_LABEL, "en"),
      filterLabel: labelIn(f.LIST_FILTER_LABEL, "en"),
      settings: f.SETTINGS,
    };
  }
  return out;
}
