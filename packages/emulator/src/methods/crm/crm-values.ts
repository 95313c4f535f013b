import { asInt } from "../../calls/params.js";
import type { FieldSpec } from "./crm-entities.js";

/**
 * Values: stored with natural types (numbers for ids and amounts, "Y"/"N" for
 * flags, ISO strings for dates), coerced from whatever arrives (form-encoded
 * requests make every scalar a string, §0.3) and rendered per API: the legacy
 * methods print every scalar as a string (`"ID":"410"`, `"OPPORTUNITY":"1000.00"`),
 * crm.item keeps numbers as numbers (§13.1, §13.2).
 */

/** One entry of a multi-field (PHONE, EMAIL, …), as stored. */
export interface MultiValue {
  ID: number;
  VALUE_TYPE: string;
  VALUE: string;
  TYPE_ID: string;
}

const INTEGER_TYPES = new Set(["integer", "user", "crm_category", "crm_lead", "crm_company", "crm_contact"]);

function blank(v: unknown): boolean {
  return v === undefined || v === null || v === "";
}

/** Dates as the portal writes them: date-only values become midnight, "Z" becomes "+00:00". */
function normalizeDate(v: unknown): string | null {
  if (blank(v)) return null;
  const s = String(v).trim();
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

/** An input value in its stored form; user fields (no spec) are kept as sent. */
export function coerce(spec: FieldSpec | undefined, v: unknown): unknown {
  if (!spec) return v;
  if (INTEGER_TYPES.has(spec.type)) {
    if (blank(v)) return null;
    const n = asInt(v) ?? Number(v);
    return Number.isFinite(n) ? Math.trunc(n) : null;
  }
  switch (spec.type) {
    case "double": {
      if (blank(v)) return null;
      const n = Number(v);
      return Number.isFinite(n) ? n : null;
    }
    case "char":
      return flag(v);
    case "date":
    case "datetime":
      return normalizeDate(v);
    default:
      return v === undefined || v === null ? null : String(v);
  }
}

/**
 * Merges multi-field input into the stored list, as the portal does on update:
 * an entry with a known ID changes that value (an empty VALUE removes it); an
 * entry without ID is appended. `entries` are already normalised to
 * `{ID?, VALUE, VALUE_TYPE}`.
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
    const value = blank(e.VALUE) ? "" : String(e.VALUE);
    const valueType = blank(e.VALUE_TYPE) ? "WORK" : String(e.VALUE_TYPE);
    const at = id === undefined ? -1 : list.findIndex((m) => m.ID === id);
    if (at >= 0) {
      if (value === "") list.splice(at, 1);
      else list[at] = { ID: id as number, VALUE_TYPE: valueType, VALUE: value, TYPE_ID: typeId };
    } else if (value !== "") {
      list.push({ ID: nextId(), VALUE_TYPE: valueType, VALUE: value, TYPE_ID: typeId });
    }
  }
  return list;
}

/** A value as the legacy methods print it: every scalar a string, amounts with two decimals. */
export function legacyValue(spec: FieldSpec | undefined, v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === "number") return spec?.type === "double" ? v.toFixed(2) : String(v);
  if (typeof v === "boolean") return v ? "Y" : "N";
  if (Array.isArray(v)) return v.map((x) => legacyValue(undefined, x));
  if (typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = legacyValue(undefined, x);
    return out;
  }
  return String(v);
}

/** A multi-field entry as crm.item prints it in `fm` (crm-item-get.md). */
export function itemMulti(m: MultiValue): Record<string, unknown> {
  return { id: m.ID, valueType: m.VALUE_TYPE, value: m.VALUE, typeId: m.TYPE_ID };
}
