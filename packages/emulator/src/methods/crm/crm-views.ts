import { asArray } from "../../calls/params.js";
import type { Row } from "../../state/table.js";
import { type CrmEntity, isKnownField, itemKey, storedKey } from "./crm-entities.js";
import { isUfName } from "./crm-names.js";
import { itemMulti, legacyValue, type MultiValue } from "./crm-values.js";

/** How records look on the wire: legacy (UPPER_SNAKE, strings) and crm.item (camelCase, numbers). */

/** Standard fields in declaration order, then user fields in the order they were first set. */
function orderedKeys(entity: CrmEntity, row: Record<string, unknown>): string[] {
  const keys = Object.keys(entity.fields).filter((k) => k in row);
  for (const k of Object.keys(row)) if (!(k in entity.fields)) keys.push(k);
  return keys;
}

/** A legacy record: every key of `row` (already narrowed by select, or the whole record). */
export function legacyView(
  entity: CrmEntity,
  row: Record<string, unknown>,
  narrowed = false,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of narrowed ? Object.keys(row) : orderedKeys(entity, row)) {
    out[k] = legacyValue(entity.fields[k], row[k]);
  }
  return out;
}

export interface ItemSelect {
  /** Stored keys to include; undefined = everything (no select, or "*"). */
  keys: Set<string> | undefined;
  /** "UF_*" / "ufCrm*": every user field. */
  allUf: boolean;
}

/** crm.item `select`: camelCase names (or "*"), mapped to stored keys. */
export function parseItemSelect(entity: CrmEntity, select: unknown): ItemSelect {
  const names = asArray(select).map(String);
  if (names.length === 0 || names.includes("*")) return { keys: undefined, allUf: true };
  const keys = new Set<string>();
  let allUf = false;
  for (const n of names) {
    if (n === "UF_*" || n === "ufCrm*" || n === "uf*") allUf = true;
    else if (n === "fm") for (const m of entity.multiFields) keys.add(m);
    else keys.add(storedKey(entity, n));
  }
  return { keys, allUf };
}

/**
 * A crm.item record: camelCase keys, numbers as numbers, multi-fields gathered
 * in `fm` (crm-item-get.md); user fields as `ufCrm…` unless `originalUf`.
 */
export function itemView(
  entity: CrmEntity,
  row: Row,
  originalUf: boolean,
  select: ItemSelect = { keys: undefined, allUf: true },
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const fm: MultiValue[] = [];
  const keys = select.keys;
  const wantsFm = keys === undefined || entity.multiFields.some((m) => keys.has(m));
  for (const k of orderedKeys(entity, row)) {
    const wanted = select.keys === undefined || select.keys.has(k) || (select.allUf && isUfName(k));
    if (!wanted || !isKnownField(entity, k)) continue;
    const v = row[k];
    if (entity.fields[k]?.type === "crm_multifield") {
      fm.push(...((v as MultiValue[] | undefined) ?? []));
      continue;
    }
    out[itemKey(entity, k, originalUf)] = v === undefined ? null : v;
  }
  if (entity.multiFields.length > 0 && wantsFm) out.fm = fm.map(itemMulti);
  if (select.keys === undefined) {
    if ("CONTACT_ID" in entity.fields)
      out.contactIds = typeof row.CONTACT_ID === "number" && row.CONTACT_ID > 0 ? [row.CONTACT_ID] : [];
    out.entityTypeId = entity.entityTypeId;
  }
  return out;
}
