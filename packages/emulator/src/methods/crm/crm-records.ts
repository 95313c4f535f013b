import { asArray, asRecord } from "../../calls/params.js";
import { isoWithOffset } from "../../portal-time.js";
import type { Portal } from "../../state/portal.js";
import type { Row } from "../../state/table.js";
import { type CrmEntity, isKnownField, stageSemantic } from "./crm-entities.js";
import { coerce, type MultiValue, mergeMulti } from "./crm-values.js";

/**
 * Creating and changing CRM records, shared by crm.<entity>.* and crm.item.*:
 * both arrive here with stored (UPPER_SNAKE) keys, so a deal added through one
 * API reads the same through the other.
 */

export interface WriteContext {
  portal: Portal;
  userId: number;
  nowMs: number;
}

const DAY_MS = 86_400_000;

/** Multi-field entry ids are one sequence per portal, like b_crm_field_multi. */
function multiIdSource(portal: Portal): () => number {
  const seq = portal.table("crm:multifield");
  return () => {
    seq.seq += 1;
    return seq.seq;
  };
}

function midnight(ms: number): string {
  return isoWithOffset(ms - (ms % DAY_MS));
}

/** Writes the settable fields of `input` (unknown keys are ignored, as on the portal). */
function applyInput(
  ctx: WriteContext,
  entity: CrmEntity,
  row: Record<string, unknown>,
  input: Record<string, unknown>,
  mode: "add" | "update",
): void {
  const nextId = multiIdSource(ctx.portal);
  for (const [key, value] of Object.entries(input)) {
    if (!isKnownField(entity, key)) continue;
    const spec = entity.fields[key];
    if (spec?.readOnly || (mode === "update" && spec?.immutable)) continue;
    if (spec?.type === "crm_multifield") {
      const entries = asArray(value).map((e) => asRecord(e));
      const merged = mergeMulti(row[key] as MultiValue[] | undefined, entries, key, nextId);
      // An empty multi-field is absent from the record, as in the portal's answers.
      if (merged.length > 0) row[key] = merged;
      else delete row[key];
      continue;
    }
    row[key] = coerce(spec, value);
  }
}

/** Fields the portal computes from others: stage group, CLOSED, HAS_PHONE/HAS_EMAIL. */
function derive(entity: CrmEntity, row: Record<string, unknown>): void {
  const stage = entity.stageField ? row[entity.stageField] : undefined;
  if ("STAGE_SEMANTIC_ID" in entity.fields) row.STAGE_SEMANTIC_ID = stageSemantic(stage);
  if ("STATUS_SEMANTIC_ID" in entity.fields) row.STATUS_SEMANTIC_ID = stageSemantic(stage);
  if ("CLOSED" in entity.fields) row.CLOSED = stageSemantic(stage) === "P" ? "N" : "Y";
  if ("HAS_PHONE" in entity.fields)
    row.HAS_PHONE = Array.isArray(row.PHONE) && row.PHONE.length > 0 ? "Y" : "N";
  if ("HAS_EMAIL" in entity.fields)
    row.HAS_EMAIL = Array.isArray(row.EMAIL) && row.EMAIL.length > 0 ? "Y" : "N";
}

/** The defaults every new record starts with, keys in rendering order (ID first). */
export function blankRecord(entity: CrmEntity, userId: number, nowMs: number): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(entity.fields)) if (!spec.multiple) row[name] = null;
  Object.assign(row, entity.defaults);
  const now = isoWithOffset(nowMs);
  row.ID = 0;
  row.ASSIGNED_BY_ID = userId;
  row.CREATED_BY_ID = userId;
  row.MODIFY_BY_ID = userId;
  row.DATE_CREATE = now;
  row.DATE_MODIFY = now;
  // crm.item.add docs: begin date = creation date, close date = creation + 7 days.
  if ("BEGINDATE" in entity.fields) row.BEGINDATE = midnight(nowMs);
  if ("CLOSEDATE" in entity.fields) row.CLOSEDATE = midnight(nowMs + 7 * DAY_MS);
  if (entity.defaultCategory !== undefined) row.CATEGORY_ID = entity.defaultCategory;
  return row;
}

export function createRecord(ctx: WriteContext, entity: CrmEntity, input: Record<string, unknown>): Row {
  const draft = blankRecord(entity, ctx.userId, ctx.nowMs);
  applyInput(ctx, entity, draft, input, "add");
  if (entity.stageField && entity.defaultStage && (draft[entity.stageField] ?? "") === "") {
    draft[entity.stageField] = entity.defaultStage(Number(draft.CATEGORY_ID ?? 0));
  }
  derive(entity, draft);
  const row = ctx.portal.table(entity.table).insert(draft);
  // Untitled records get "{type} #{id}" (crm.item.add docs).
  if ("TITLE" in entity.fields && (row.TITLE ?? "") === "") row.TITLE = `${entity.typeName} #${row.ID}`;
  return row;
}

export function updateRecord(
  ctx: WriteContext,
  entity: CrmEntity,
  row: Row,
  input: Record<string, unknown>,
): void {
  applyInput(ctx, entity, row, input, "update");
  row.MODIFY_BY_ID = ctx.userId;
  row.DATE_MODIFY = isoWithOffset(ctx.nowMs);
  derive(entity, row);
}

/** Reads a record id parameter: a positive integer, else undefined. */
export function recordId(v: unknown): number | undefined {
  const s = typeof v === "number" ? String(v) : typeof v === "string" ? v.trim() : "";
  if (!/^\d+$/.test(s)) return undefined;
  const n = Number(s);
  return n > 0 ? n : undefined;
}
