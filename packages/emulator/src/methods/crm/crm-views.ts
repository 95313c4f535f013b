import { asArray } from "../../calls/params.js";
import type { Row } from "../../state/table.js";
import { type CrmEntity, itemKey, storedKey } from "./crm-entities.js";
import { ITEM_COMPUTED, isComputedKey } from "./crm-item-computed.js";
import { isExtraName, isRelationName, isUfName } from "./crm-names.js";
import { itemMulti, legacyValue, type MultiValue } from "./crm-values.js";

/** How records look on the wire: legacy (UPPER_SNAKE, strings) and crm.item (camelCase, numbers). */

/** User and relation fields the record carries, in the order they were first set. */
function extraKeys(row: Record<string, unknown>): string[] {
  return Object.keys(row).filter(isExtraName);
}

function hasEntries(v: unknown): boolean {
  return Array.isArray(v) && v.length > 0;
}

/** A legacy record with exactly `keys` (multi-fields only when they hold values). */
function legacyRecord(entity: CrmEntity, row: Record<string, unknown>, keys: Iterable<string>) {
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    if (!(k in row)) continue;
    const spec = entity.fields[k];
    if (spec?.type === "crm_multifield" && !hasEntries(row[k])) continue;
    out[k] = legacyValue(spec, row[k]);
  }
  return out;
}

/** crm.<entity>.get: every standard field records show, then user and relation fields. */
export function legacyView(entity: CrmEntity, row: Record<string, unknown>): Record<string, unknown> {
  const keys = Object.keys(entity.fields).filter((k) => !entity.fields[k]?.hidden);
  return legacyRecord(entity, row, [...keys, ...extraKeys(row)]);
}

/**
 * crm.<entity>.list `select`: absent = `*` + `UF_*` (crm-deal-list.md, crm-contact-list.md,
 * crm-company-list.md); `*` = the standard fields but multi- and user fields; `UF_*` =
 * every user field; multi-fields only by name. The ID always comes along
 * (crm-company-list.md's example selects TITLE, ASSIGNED_BY_ID and PHONE and gets ID too).
 */
export function legacySelectView(
  entity: CrmEntity,
  row: Record<string, unknown>,
  select: unknown,
): Record<string, unknown> {
  const wanted = asArray(select).map((s) => String(s).trim());
  const names: string[] = [];
  const extras = extraKeys(row);
  const add = (list: Iterable<string>) => {
    for (const n of list) if (!names.includes(n)) names.push(n);
  };
  if (wanted.length === 0) add([...entity.defaultSelect, ...extras]);
  for (const w of wanted) {
    const name = isUfName(w.toUpperCase()) ? w : w.toUpperCase();
    if (name === "*") add([...entity.defaultSelect, ...extras.filter(isRelationName)]);
    else if (name === "UF_*") add(extras.filter(isUfName));
    else if (isExtraName(name) || (name in entity.fields && !entity.fields[name]?.hidden)) add([name]);
  }
  const multi = names.filter((n) => entity.multiFields.includes(n));
  const scalars = names.filter((n) => !multi.includes(n));
  if (!scalars.includes("ID")) scalars.push("ID");
  return legacyRecord(entity, row, [...scalars, ...multi]);
}

export interface ItemSelect {
  /** Stored keys (standard, user, relation fields) to include; undefined = everything. */
  keys: Set<string> | undefined;
  /** Computed keys asked for by name (phoneWork, searchContent, …). */
  computed: Set<string>;
  /** "UF_*" / "ufCrm*": every user field. */
  allUf: boolean;
}

const EVERYTHING: ItemSelect = { keys: undefined, computed: new Set(), allUf: true };

/** crm.item `select`: item names (or "*"), mapped to stored keys; `fm` comes only with "*" (crm-item-list.md). */
export function parseItemSelect(entity: CrmEntity, select: unknown): ItemSelect {
  const names = asArray(select).map(String);
  if (names.length === 0 || names.includes("*")) return EVERYTHING;
  const keys = new Set<string>();
  const computed = new Set<string>();
  let allUf = false;
  for (const n of names) {
    if (n === "UF_*" || n === "ufCrm*" || n === "uf*") allUf = true;
    else if (n in ITEM_COMPUTED) computed.add(n);
    else keys.add(storedKey(entity, n));
  }
  return { keys, computed, allUf };
}

/**
 * A crm.item record: the type's item layout (crm-entities.ts) with camelCase keys,
 * numbers as numbers, multi-fields gathered in `fm` (crm-item-get.md); user fields
 * as `ufCrm…` unless `originalUf`, relation fields as `parentId…`.
 */
export function itemView(
  entity: CrmEntity,
  row: Row,
  originalUf: boolean,
  select: ItemSelect = EVERYTHING,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const all = select.keys === undefined;
  for (const k of entity.itemLayout) {
    if (k === "*") {
      for (const extra of extraKeys(row)) {
        if (all || select.keys?.has(extra) || (select.allUf && isUfName(extra))) {
          out[itemKey(entity, extra, originalUf)] = row[extra] ?? null;
        }
      }
    } else if (k === "fm") {
      if (!all) continue;
      const fm = entity.multiFields.flatMap((m) => (row[m] as MultiValue[] | undefined) ?? []);
      out.fm = fm.map(itemMulti);
    } else if (isComputedKey(k)) {
      if (all || select.computed.has(k)) out[k] = ITEM_COMPUTED[k]?.(row, entity) ?? null;
    } else if (all || select.keys?.has(k)) {
      const spec = entity.fields[k];
      const v = row[k];
      out[itemKey(entity, k, originalUf)] =
        v === undefined || v === null ? (spec?.multiple ? [] : spec?.itemZero ? 0 : null) : v;
    }
  }
  return out;
}
