import { asArray, asInt } from "../../calls/params.js";
import { type FieldSpec, FLAG_TYPES, INTEGER_TYPES } from "./crm-fields.js";

/**
 * Values: stored with natural types (numbers for ids and amounts, "Y"/"N" for
 * flags, ISO strings for dates, arrays of ids for link lists), coerced from
 * whatever arrives (form-encoded requests make every scalar a string, §0.3) and
 * rendered per API: the legacy methods print every scalar as a string
 * (`"ID":"410"`, `"OPPORTUNITY":"1000.00"`), crm.item keeps numbers as numbers
 * (§13.1, §13.2).
 */

/** One entry of a multi-field (PHONE, EMAIL, …), as stored. */
export interface MultiValue {
  ID: number;
  VALUE_TYPE: string;
  VALUE: string;
  TYPE_ID: string;
}

function blank(v: unknown): boolean {
  return v === undefined || v === null || v === "";
}

/**
 * Dates as the portal writes them: date-only values become midnight, "Z" becomes
 * "+00:00", and the portal's own dd.mm.yyyy format (crm-contact-add.md's BIRTHDATE
 * "11.11.2001") is read as well.
 */
function normalizeDate(v: unknown): string | null {
  if (blank(v)) return null;
  const s = String(v).trim();
  const dotted = /^(\d{2})\.(\d{2})\.(\d{4})$/.exec(s);
  if (dotted) return `${dotted[3]}-${dotted[2]}-${dotted[1]}T00:00:00+00:00`;
  if (/^\d{4}-\d{2}-\d{2}$/.test(s)) return `${s}T00:00:00+00:00`;
  const z = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d+)?Z$/.exec(s);
  if (z) return `${z[1]}+00:00`;
  return s;
}

function flag(v: unknown): "Y" | "N" {
  if (v === true || v === 1) return "Y";
  const s = String(v ?? "").toUpperCase();
  return s === "Y" || s === "1" || s === "TRUE" ? "Y" : "N";
}

function integer(v: unknown): number | null {
  if (blank(v)) return null;
  const n = asInt(v) ?? Number(v);
  return Number.isFinite(n) ? Math.trunc(n) : null;
}

/** An input value in its stored form; user and relation fields (no spec) are kept as sent. */
export function coerce(spec: FieldSpec | undefined, v: unknown): unknown {
  if (!spec) return v;
  if (spec.multiple && spec.type !== "crm_multifield") {
    // Link lists (CONTACT_IDS, observers): positive ids, each once.
    const ids = asArray(v)
      .map(integer)
      .filter((n): n is number => n !== null && n > 0);
    return [...new Set(ids)];
  }
  if (INTEGER_TYPES.has(spec.type)) return integer(v);
  if (FLAG_TYPES.has(spec.type)) return flag(v);
  switch (spec.type) {
    case "double": {
      if (blank(v)) return null;
      const n = Number(v);
      return Number.isFinite(n) ? n : null;
    }
    case "date":
    case "datetime":
      return normalizeDate(v);
    default:
      return v === undefined || v === null ? null : String(v);
  }
}

/**
 * Merges multi-field input into the stored list, as the portal does on update
 * (crm-contact-update.md, "Working with Multiple Fields"): an entry with a known
 * ID changes that value, and an empty VALUE, `DELETE: "Y"` or an ID alone removes
 * it; an entry without ID is appended. `entries` are `{ID?, VALUE, VALUE_TYPE, DELETE?}`.
 */
export function mergeMulti(
  current: MultiValue[] | undefined,
  entries: Array<Record<string, unknown>>,
  typeId: string,
  nextId: () => number,
): MultiValue[] {
  const list = [...(current ?? [])];
  for (const e of entries) {
    const id = asInt(e.ID);
    const removed = blank(e.VALUE) || String(e.DELETE ?? "").toUpperCase() === "Y";
    const value = removed ? "" : String(e.VALUE);
    const at = id === undefined ? -1 : list.findIndex((m) => m.ID === id);
    const valueType = blank(e.VALUE_TYPE) ? (list[at]?.VALUE_TYPE ?? "WORK") : String(e.VALUE_TYPE);
    if (at >= 0) {
      if (removed) list.splice(at, 1);
      else list[at] = { ID: id as number, VALUE_TYPE: valueType, VALUE: value, TYPE_ID: typeId };
    } else if (!removed) {
      list.push({ ID: nextId(), VALUE_TYPE: valueType, VALUE: value, TYPE_ID: typeId });
    }
  }
  return list;
}

/** A user-field value as the legacy methods print it: numbers as strings, Y/N booleans kept (crm-lead-list.md). */
function extraValue(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === "number") return String(v);
  if (Array.isArray(v)) return v.map(extraValue);
  if (typeof v === "object") {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, extraValue(x)]));
  }
  return v;
}

/**
 * A value as the legacy methods print it: every scalar a string, amounts with two
 * decimals (or as PHP prints a float for `plainNumber`), an empty date as ""
 * (crm-lead-get.md's BIRTHDATE and DATE_CLOSED); multi-field entries with string ids.
 */
export function legacyValue(spec: FieldSpec | undefined, v: unknown): unknown {
  if (!spec) return extraValue(v);
  if (v === null || v === undefined) return spec.type === "date" || spec.type === "datetime" ? "" : null;
  if (typeof v === "number") return spec.type === "double" && !spec.plainNumber ? v.toFixed(2) : String(v);
  if (typeof v === "boolean") return v ? "Y" : "N";
  if (Array.isArray(v)) return v.map((x) => legacyValue({ type: "string", title: "" }, x));
  if (typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = legacyValue({ type: "string", title: "" }, x);
    return out;
  }
  return String(v);
}

/** A multi-field entry as crm.item prints it in `fm` (crm-item-get.md). */
export function itemMulti(m: MultiValue): Record<string, unknown> {
  return { id: m.ID, valueType: m.VALUE_TYPE, value: m.VALUE, typeId: m.TYPE_ID };
}
