import { asArray, asRecord } from "../../calls/params.js";
import { Errors } from "../../calls/rest-error.js";
import { isoWithOffset } from "../../portal-time.js";
import type { Portal } from "../../state/portal.js";
import type { Row } from "../../state/table.js";
import { type CrmEntity, isKnownField, stageSemantic } from "./crm-entities.js";
import { ufDefinition, ufInitialValue, ufStoredValue } from "./crm-userfield-values.js";
import { UF_ENTITY_ID, userFieldsOf } from "./crm-userfields.js";
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
  /** crm.item writes may set what crm.<entity>.* treats as read-only (FieldSpec.itemWritable). */
  api?: "legacy" | "item";
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

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/**
 * Refuses what the portal refuses before writing anything: an e-mail that is not
 * an address (ERROR_CORE, crm-contact-add.md and crm-company-add.md).
 */
function validate(entity: CrmEntity, input: Record<string, unknown>): void {
  if (!entity.multiFields.includes("EMAIL") || input.EMAIL === undefined) return;
  for (const e of asArray(input.EMAIL)) {
    const value = asRecord(e).VALUE;
    if (value === undefined || value === null || value === "") continue;
    if (!EMAIL.test(String(value).trim()))
      throw Errors.core(`The field "E-mail" contains an invalid address`);
  }
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
  const previousSingle = entity.linkPair ? row[entity.linkPair[0]] : undefined;
  for (const [key, value] of Object.entries(input)) {
    if (!isKnownField(entity, key)) continue;
    const spec = entity.fields[key];
    if (spec?.readOnly && !(ctx.api === "item" && spec.itemWritable)) continue;
    // CATEGORY_ID is fixed for crm.<entity>.update; crm.item.update moves records between pipelines
    // (crm-deal-update.md: "to change the Sales Funnel of the deal, use crm.item.update").
    if (mode === "update" && spec?.immutable && ctx.api !== "item") continue;
    // Files (PHOTO, LOGO) need the portal's disk; the emulator does not keep them.
    if (spec?.type === "file" || spec?.itemFieldOnly) continue;
    if (spec?.type === "crm_multifield") {
      const entries = asArray(value).map((e) => asRecord(e));
      const merged = mergeMulti(row[key] as MultiValue[] | undefined, entries, key, nextId);
      // An empty multi-field is absent from the record, as in the portal's answers.
      if (merged.length > 0) row[key] = merged;
      else delete row[key];
      continue;
    }
    // A defined user field (crm.<entity>.userfield.add) keeps its type's form; others are kept as sent.
    const uf = spec ? undefined : ufDefinition(ctx.portal, entity.code, key);
    row[key] = uf ? ufStoredValue(uf, value) : coerce(spec, value);
  }
  if (entity.linkPair) syncLinks(entity.linkPair, row, input, previousSingle);
}

/**
 * Keeps a single link and its list in step (CONTACT_ID / CONTACT_IDS): the single
 * one is the first of the list; setting it alone puts it first.
 */
function syncLinks(
  [single, list]: readonly [string, string],
  row: Record<string, unknown>,
  input: Record<string, unknown>,
  previous: unknown,
): void {
  const ids = Array.isArray(row[list]) ? (row[list] as number[]) : [];
  if (list in input) {
    row[single] = ids[0] ?? null;
  } else if (single in input) {
    const chosen = row[single];
    const rest = ids.filter((id) => id !== chosen && id !== previous);
    row[list] = typeof chosen === "number" && chosen > 0 ? [chosen, ...rest] : rest;
    if (!(typeof chosen === "number" && chosen > 0)) row[single] = rest[0] ?? null;
  }
}

const linked = (v: unknown) => typeof v === "number" && v > 0;

/** Fields the portal computes from others: stage group, CLOSED, IS_NEW, HAS_PHONE/HAS_EMAIL, …. */
export function derive(entity: CrmEntity, row: Record<string, unknown>, nowIso: string): void {
  const stage = entity.stageField ? row[entity.stageField] : undefined;
  const semantic = stageSemantic(stage);
  const fields = entity.fields;
  if ("STAGE_SEMANTIC_ID" in fields) row.STAGE_SEMANTIC_ID = semantic;
  if ("STATUS_SEMANTIC_ID" in fields) row.STATUS_SEMANTIC_ID = semantic;
  if ("CLOSED" in fields) row.CLOSED = semantic === "P" ? "N" : "Y";
  // A deal is new while it sits in its pipeline's first stage.
  if ("IS_NEW" in fields) row.IS_NEW = String(stage ?? "").replace(/^.*:/, "") === "NEW" ? "Y" : "N";
  // A lead is closed when it leaves the in-process stages (crm-lead-get.md DATE_CLOSED).
  if ("DATE_CLOSED" in fields) row.DATE_CLOSED = semantic === "P" ? null : (row.DATE_CLOSED ?? nowIso);
  // Leads become "returning" once linked to a company or contact (crm-lead-add.md).
  if (entity.code === "lead")
    row.IS_RETURN_CUSTOMER = linked(row.COMPANY_ID) || linked(row.CONTACT_ID) ? "Y" : "N";
  if ("HAS_PHONE" in fields) row.HAS_PHONE = Array.isArray(row.PHONE) && row.PHONE.length > 0 ? "Y" : "N";
  if ("HAS_EMAIL" in fields) row.HAS_EMAIL = Array.isArray(row.EMAIL) && row.EMAIL.length > 0 ? "Y" : "N";
}

/** Authorship and the times that start with the record: created, modified, moved, last activity. */
export function stamp(entity: CrmEntity, row: Record<string, unknown>, userId: number, iso: string): void {
  row.ASSIGNED_BY_ID = userId;
  row.CREATED_BY_ID = userId;
  row.MODIFY_BY_ID = userId;
  row.DATE_CREATE = iso;
  row.DATE_MODIFY = iso;
  if ("MOVED_TIME" in entity.fields) {
    row.MOVED_BY_ID = userId;
    row.MOVED_TIME = iso;
  }
  if ("LAST_ACTIVITY_TIME" in entity.fields) {
    row.LAST_ACTIVITY_BY = userId;
    row.LAST_ACTIVITY_TIME = iso;
  }
}

/** The defaults every new record starts with, keys in rendering order (ID first). */
export function blankRecord(entity: CrmEntity, userId: number, nowMs: number): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(entity.fields)) {
    if (spec.type === "crm_multifield" || spec.itemFieldOnly) continue;
    row[name] = spec.multiple ? [] : null;
  }
  Object.assign(row, entity.defaults);
  row.ID = 0;
  stamp(entity, row, userId, isoWithOffset(nowMs));
  // crm.item.add docs: begin date = creation date, close date = creation + 7 days.
  if ("BEGINDATE" in entity.fields) row.BEGINDATE = midnight(nowMs);
  if ("CLOSEDATE" in entity.fields) row.CLOSEDATE = midnight(nowMs + 7 * DAY_MS);
  if (entity.defaultCategory !== undefined) row.CATEGORY_ID = entity.defaultCategory;
  return row;
}

export function createRecord(ctx: WriteContext, entity: CrmEntity, input: Record<string, unknown>): Row {
  validate(entity, input);
  const draft = blankRecord(entity, ctx.userId, ctx.nowMs);
  // The object's user fields are columns of every record (null, [] or their default until set).
  if (entity.code)
    for (const uf of userFieldsOf(ctx.portal, UF_ENTITY_ID[entity.code]))
      draft[uf.FIELD_NAME] = ufInitialValue(uf);
  applyInput(ctx, entity, draft, input, "add");
  if (entity.stageField && entity.defaultStage && (draft[entity.stageField] ?? "") === "") {
    draft[entity.stageField] = entity.defaultStage(Number(draft.CATEGORY_ID ?? 0));
  }
  derive(entity, draft, isoWithOffset(ctx.nowMs));
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
  validate(entity, input);
  const stageBefore = entity.stageField ? row[entity.stageField] : undefined;
  const categoryBefore = row.CATEGORY_ID;
  applyInput(ctx, entity, row, input, "update");
  // A record moved to another pipeline without a stage starts at that pipeline's first stage.
  if (
    row.CATEGORY_ID !== categoryBefore &&
    entity.stageField &&
    entity.defaultStage &&
    !(entity.stageField in input)
  ) {
    row[entity.stageField] = entity.defaultStage(Number(row.CATEGORY_ID ?? 0));
  }
  const now = isoWithOffset(ctx.nowMs);
  row.MODIFY_BY_ID = ctx.userId;
  row.DATE_MODIFY = now;
  if (entity.stageField && row[entity.stageField] !== stageBefore) {
    // Moving to another stage records who moved it and when (MOVED_BY_ID, MOVED_TIME).
    if ("MOVED_TIME" in entity.fields) {
      row.MOVED_BY_ID = ctx.userId;
      row.MOVED_TIME = now;
    }
    if ("PREVIOUS_STAGE_ID" in entity.fields) row.PREVIOUS_STAGE_ID = stageBefore ?? null;
  }
  derive(entity, row, now);
}

/** Reads a record id parameter: a positive integer, else undefined. */
export function recordId(v: unknown): number | undefined {
  const s = typeof v === "number" ? String(v) : typeof v === "string" ? v.trim() : "";
  if (!/^\d+$/.test(s)) return undefined;
  const n = Number(s);
  return n > 0 ? n : undefined;
}
