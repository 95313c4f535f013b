import { type LegacyCode, legacyEntity } from "../methods/crm/crm-entities.js";
import { canChange } from "../methods/crm/crm-rights.js";
import {
  isAppType,
  labelIn,
  UF_ENTITY_ID,
  type UserFieldRecord,
  userFieldsOf,
} from "../methods/crm/crm-userfields.js";
import { fullTypeCode, type UserFieldTypeRecord, userFieldTypes } from "../methods/userfield-types.js";
import type { Installation, Portal } from "../state/portal.js";
import type { Row } from "../state/table.js";
import type { PortalUser } from "../state/user.js";
import type { World } from "../state/world.js";
import { frameMarkup } from "./frame-markup.js";
import { type FrameSessions, frameUrlProblem } from "./frame-sessions.js";
import { esc, jsonAttr } from "./html.js";
import type { PageContext } from "./layout.js";
import { userMayUseApp } from "./visibility.js";

/*
 * User fields on a CRM card (api-reference/widgets/user-field/index.md): a field
 * of an app's type is the app's USERFIELD_TYPE frame — MODE view on the card,
 * edit in the edit form, where its setValue command fills a hidden input of the
 * form (assets/portal.js); built-in types are plain inputs.
 */

/** The frame height when the type sets none (OPTIONS.height 0: "the standard height"; the emulator's guess). */
const STANDARD_HEIGHT = 100;

export type UserFieldMode = "view" | "edit";
type Mode = UserFieldMode;

/** A value as the form and PLACEMENT_OPTIONS carry it: strings, booleans as "1"/"0", a list when multiple. */
export function ufFormValue(field: UserFieldRecord, stored: unknown): string | string[] {
  const one = (v: unknown): string =>
    v === null || v === undefined ? "" : typeof v === "boolean" ? (v ? "1" : "0") : String(v);
  if (field.MULTIPLE === "Y") return (Array.isArray(stored) ? stored : []).map(one);
  return one(Array.isArray(stored) ? stored[0] : stored);
}

export function ufFields(ctx: PageContext, code: LegacyCode): UserFieldRecord[] {
  return userFieldsOf(ctx.portal, UF_ENTITY_ID[code]);
}

function label(field: UserFieldRecord): string {
  return labelIn(field.EDIT_FORM_LABEL, "en") || field.FIELD_NAME;
}

function plainText(field: UserFieldRecord, value: string | string[]): string {
  const list = Array.isArray(value) ? value : value === "" ? [] : [value];
  if (field.USER_TYPE_ID === "boolean") return list.map((v) => (v === "1" ? "Yes" : "No")).join(", ");
  return esc(list.join(", "));
}

/**
 * The app type behind `field` and its installation, or why its frame cannot be shown to `user`: the
 * type is gone (userfieldtype.delete), the app is not installed or not for this user, or its handler
 * URL is refused (`status`: 404 absent, 403 not shown, as the control API answers).
 */
export function userFieldApp(
  world: World,
  portal: Portal,
  user: PortalUser,
  field: UserFieldRecord,
): { type: UserFieldTypeRecord; installation: Installation } | { problem: string; status: 403 | 404 } {
  const type = userFieldTypes({ portal }).find((t) => fullTypeCode(t) === field.USER_TYPE_ID);
  if (!type) return { problem: `No app field type ${field.USER_TYPE_ID} on this portal`, status: 404 };
  const installation = portal.installations.get(type.CLIENT_ID);
  if (!installation?.installed)
    return { problem: "The field type's app is not (fully) installed", status: 404 };
  if (!userMayUseApp(installation, user))
    return { problem: `User ${user.ID} may not use the app`, status: 403 };
  const refused = frameUrlProblem(world, type.HANDLER);
  return refused ? { problem: refused, status: 403 } : { type, installation };
}

/**
 * The mode the portal shows a field in: `view` when asked, when the field is not editable
 * (EDIT_IN_LIST=N, crm-deal-userfield-add.md) or the user may not change the record.
 */
export function userFieldMode(
  user: PortalUser,
  code: LegacyCode,
  row: Row,
  field: UserFieldRecord,
  asked: Mode,
): Mode {
  const editable = field.EDIT_IN_LIST !== "N" && canChange(user, legacyEntity(code).entityTypeId, row);
  return asked === "edit" && editable ? "edit" : "view";
}

/** PLACEMENT_OPTIONS of the USERFIELD_TYPE frame (keys of widgets/user-field/index.md). */
export function userFieldOptions(
  code: LegacyCode,
  row: Row,
  field: UserFieldRecord,
  mode: Mode,
): Record<string, unknown> {
  return {
    MODE: mode,
    ENTITY_ID: UF_ENTITY_ID[code],
    FIELD_NAME: field.FIELD_NAME,
    ENTITY_VALUE_ID: String(row.ID),
    VALUE: ufFormValue(field, row[field.FIELD_NAME]),
    MULTIPLE: field.MULTIPLE,
    MANDATORY: field.MANDATORY,
    XML_ID: field.XML_ID ?? "",
  };
}

/** The app frame of `field` on this record, or undefined when it cannot be shown (userFieldApp). */
function appFrame(
  ctx: PageContext,
  sessions: FrameSessions,
  code: LegacyCode,
  row: Row,
  field: UserFieldRecord,
  mode: Mode,
): string | undefined {
  const app = userFieldApp(ctx.world, ctx.portal, ctx.user, field);
  if ("problem" in app) return undefined;
  const { type, installation } = app;
  const value = ufFormValue(field, row[field.FIELD_NAME]);
  // No URI for this placement.
  const d = sessions.open({
    portal: ctx.portal,
    installation,
    userId: ctx.user.ID,
    placement: "USERFIELD_TYPE",
    handler: type.HANDLER,
    options: userFieldOptions(code, row, field, mode),
    domain: ctx.host,
    title: type.TITLE || type.USER_TYPE_ID,
  });
  const meta = { field: field.FIELD_NAME, mode, multiple: field.MULTIPLE === "Y", value };
  return `<div class="b24-uf" data-uf="${jsonAttr(meta)}" data-uf-mode="${mode}" data-uf-field="${esc(field.FIELD_NAME)}">${frameMarkup(d, type.HEIGHT || STANDARD_HEIGHT)}</div>`;
}

/** Rows of the card's field table: app types as view-mode frames, the rest as text. */
export function ufCardRows(
  ctx: PageContext,
  sessions: FrameSessions | undefined,
  code: LegacyCode,
  row: Row,
): Array<[string, string]> {
  return ufFields(ctx, code).map((field) => {
    const value = ufFormValue(field, row[field.FIELD_NAME]);
    const frame =
      sessions && isAppType(field.USER_TYPE_ID)
        ? appFrame(ctx, sessions, code, row, field, "view")
        : undefined;
    return [label(field), frame ?? plainText(field, value)];
  });
}

function hidden(name: string, value: string): string {
  return `<input type="hidden" name="${esc(name)}" value="${esc(value)}">`;
}

/** The inputs that carry an app field's value in the form (setValue rewrites them). */
export function ufValueInputs(field: UserFieldRecord, value: string | string[]): string {
  const name = `fields[${field.FIELD_NAME}]`;
  const inputs = Array.isArray(value)
    ? [hidden(`${name}[]`, ""), ...value.map((v) => hidden(`${name}[]`, v))].join("")
    : hidden(name, value);
  return `<span data-uf-values="${esc(field.FIELD_NAME)}" hidden>${inputs}</span>`;
}

function builtInInput(field: UserFieldRecord, value: string | string[]): string {
  const name = `fields[${field.FIELD_NAME}]`;
  const id = `field-${field.FIELD_NAME}`;
  if (field.USER_TYPE_ID === "boolean") {
    const v = Array.isArray(value) ? (value[0] ?? "0") : value || "0";
    return `<select id="${id}" name="${esc(name)}">${[
      ["1", "Yes"],
      ["0", "No"],
    ]
      .map(([k, t]) => `<option value="${k}"${k === v ? " selected" : ""}>${t}</option>`)
      .join("")}</select>`;
  }
  const type =
    field.USER_TYPE_ID === "integer" || field.USER_TYPE_ID === "double" ? ` inputmode="decimal"` : "";
  if (!Array.isArray(value)) return `<input id="${id}" name="${esc(name)}" value="${esc(value)}"${type}>`;
  // A multiple field: one input per value and an empty one to add another.
  return [
    hidden(`${name}[]`, ""),
    ...[...value, ""].map((v) => `<input name="${esc(name)}[]" value="${esc(v)}"${type}>`),
  ]
    .join("")
    .replace("<input name", `<input id="${id}" name`);
}

function formRow(field: UserFieldRecord, control: string): string {
  return `<div class="b24-form__row" data-uf-row="${esc(field.FIELD_NAME)}"><span class="b24-form__label">${esc(label(field))}</span><div>${control}</div></div>`;
}

/**
 * The edit form's user fields: `inside` goes into the <form> (inputs, hidden
 * values), `outside` after it (app frames carry forms of their own, which may not nest).
 * A field with EDIT_IN_LIST=N, or on a record the user may not change, is shown in view mode.
 */
export function ufFormParts(
  ctx: PageContext,
  sessions: FrameSessions | undefined,
  code: LegacyCode,
  row: Row,
): { inside: string; outside: string } {
  let inside = "";
  let outside = "";
  for (const field of ufFields(ctx, code)) {
    const value = ufFormValue(field, row[field.FIELD_NAME]);
    const editable = userFieldMode(ctx.user, code, row, field, "edit") === "edit";
    if (!isAppType(field.USER_TYPE_ID)) {
      inside += formRow(field, editable ? builtInInput(field, value) : plainText(field, value));
      continue;
    }
    const frame = sessions
      ? appFrame(ctx, sessions, code, row, field, editable ? "edit" : "view")
      : undefined;
    if (editable && frame) inside += ufValueInputs(field, value);
    outside += formRow(field, frame ?? plainText(field, value));
  }
  return { inside, outside };
}

/** The user fields whose submitted value differs from the record's, in the form crm.<code>.update takes. */
export function ufChanges(
  ctx: PageContext,
  code: LegacyCode,
  row: Row,
  submitted: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of ufFields(ctx, code)) {
    if (field.EDIT_IN_LIST === "N" || !(field.FIELD_NAME in submitted)) continue;
    const raw = submitted[field.FIELD_NAME];
    const next =
      field.MULTIPLE === "Y"
        ? (Array.isArray(raw) ? raw : [raw]).map((v) => String(v ?? "")).filter((v) => v !== "")
        : String(Array.isArray(raw) ? (raw[0] ?? "") : (raw ?? ""));
    const current = ufFormValue(field, row[field.FIELD_NAME]);
    if (JSON.stringify(next) !== JSON.stringify(current)) out[field.FIELD_NAME] = next;
  }
  return out;
}
