import { automatedEntity } from "../automation/automation-rules.js";
import { type CrmEntity, type LegacyCode, legacyEntity } from "../methods/crm/crm-entities.js";
import { canAccess, visibleRows } from "../methods/crm/crm-rights.js";
import { legacyView } from "../methods/crm/crm-views.js";
import type { RestExecutor } from "../rest-endpoint/executor.js";
import type { Row } from "../state/table.js";
import { runsCard } from "./automation-page.js";
import { placementButtons, tabStrip } from "./frame-markup.js";
import type { FrameSessions } from "./frame-sessions.js";
import { card, esc, fieldTable, notice } from "./html.js";
import { type PageContext, renderPage, switchableUsers, userName } from "./layout.js";
import { uiCaller } from "./ui-caller.js";
import { ufCardRows, ufChanges, ufFormParts } from "./userfield-frames.js";
import { visiblePlacements } from "./visibility.js";

/*
 * CRM pages at a real portal's paths (contracts.md "Portal UI paths"):
 * `/crm/{deal,lead,contact,company}/list/` and `/crm/{…}/details/{id}/`, with
 * the CRM_XXX_LIST_TOOLBAR, CRM_XXX_DETAIL_TOOLBAR and CRM_XXX_DETAIL_TAB
 * placements. Edits go through the REST executor as the UI user, so rights
 * apply and ONCRM…UPDATE fires as for any other write.
 */

export const CRM_CODES: readonly LegacyCode[] = ["deal", "lead", "contact", "company"];

const PLURAL: Record<LegacyCode, string> = {
  deal: "Deals",
  lead: "Leads",
  contact: "Contacts",
  company: "Companies",
};

const PAGE_SIZE = 20;

/** Stage codes offered in the stage field (the general pipeline's; any code may be typed). */
const STAGE_HINTS: Record<string, string[]> = {
  STAGE_ID: ["NEW", "PREPARATION", "PREPAYMENT_INVOICE", "EXECUTING", "FINAL_INVOICE", "WON", "LOSE"],
  STATUS_ID: ["NEW", "IN_PROCESS", "PROCESSED", "CONVERTED", "JUNK"],
};

export function isCrmCode(value: string): value is LegacyCode {
  return (CRM_CODES as readonly string[]).includes(value);
}

/** The record's display name: TITLE, else the person's name, else "Deal #5". */
export function recordName(entity: CrmEntity, row: Row): string {
  const title = typeof row.TITLE === "string" ? row.TITLE : "";
  const person = [row.NAME, row.LAST_NAME].filter((v) => typeof v === "string" && v !== "").join(" ");
  return title || person || `${entity.typeName} #${row.ID}`;
}

function firstMulti(row: Row, key: string): string {
  const list = row[key];
  if (!Array.isArray(list)) return "";
  const first = list[0] as { VALUE?: unknown } | undefined;
  return typeof first?.VALUE === "string" ? first.VALUE : "";
}

function money(row: Row, key = "OPPORTUNITY"): string {
  const v = row[key];
  if (typeof v !== "number") return "";
  return `${v.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })} ${esc(row.CURRENCY_ID ?? "")}`;
}

function userLink(ctx: PageContext, id: unknown): string {
  const user = typeof id === "number" ? ctx.portal.users.get(id) : undefined;
  if (!user) return id === null || id === undefined ? "" : esc(id);
  return `<a href="/company/personal/user/${user.ID}/">${esc(userName(user))}</a>`;
}

function stagePill(value: unknown): string {
  if (value === null || value === undefined || value === "") return "";
  const code = String(value);
  const semantic = /(^|:)(WON|CONVERTED)$/.test(code)
    ? "won"
    : /(^|:)(LOSE|JUNK)$/.test(code)
      ? "lost"
      : "open";
  return `<span class="b24-pill b24-pill--${semantic}">${esc(code)}</span>`;
}

function crmTabs(active: LegacyCode): string {
  return `<nav class="b24-subnav">${CRM_CODES.map(
    (code) =>
      `<a class="b24-subnav__item${code === active ? " is-active" : ""}" href="/crm/${code}/list/">${PLURAL[code]}</a>`,
  ).join("")}</nav>`;
}

interface Column {
  label: string;
  cell: (row: Row) => string;
}

function columns(ctx: PageContext, code: LegacyCode, entity: CrmEntity): Column[] {
  const name: Column = {
    label: "Name",
    cell: (row) =>
      `<a class="b24-link-strong" href="/crm/${code}/details/${row.ID}/">${esc(recordName(entity, row))}</a>`,
  };
  const responsible: Column = { label: "Responsible", cell: (row) => userLink(ctx, row.ASSIGNED_BY_ID) };
  const id: Column = { label: "ID", cell: (row) => esc(row.ID) };
  switch (code) {
    case "deal":
      return [
        id,
        name,
        { label: "Stage", cell: (row) => stagePill(row.STAGE_ID) },
        { label: "Amount", cell: (row) => money(row) },
        responsible,
        { label: "Modified", cell: (row) => esc(String(row.DATE_MODIFY ?? "").slice(0, 10)) },
      ];
    case "lead":
      return [
        id,
        name,
        { label: "Status", cell: (row) => stagePill(row.STATUS_ID) },
        { label: "Amount", cell: (row) => money(row) },
        responsible,
      ];
    case "contact":
      return [
        id,
        name,
        { label: "Phone", cell: (row) => esc(firstMulti(row, "PHONE")) },
        { label: "E-mail", cell: (row) => esc(firstMulti(row, "EMAIL")) },
        responsible,
      ];
    case "company":
      return [
        id,
        name,
        { label: "Type", cell: (row) => esc(row.COMPANY_TYPE ?? "") },
        { label: "Phone", cell: (row) => esc(firstMulti(row, "PHONE")) },
        responsible,
      ];
  }
}

/** `/crm/{code}/list/`: the records the UI user may see, newest first, with the list toolbar placements. */
export function crmListPage(ctx: PageContext, code: LegacyCode, pageNumber: number): string {
  const entity = legacyEntity(code);
  const visible = visibleRows(ctx.user, entity.entityTypeId);
  const rows = ctx.portal
    .table(entity.table)
    .all()
    .filter((row) => !visible || visible(row))
    .sort((a, b) => b.ID - a.ID);
  const pages = Math.max(1, Math.ceil(rows.length / PAGE_SIZE));
  const page = Math.min(Math.max(1, pageNumber), pages);
  const slice = rows.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
  const cols = columns(ctx, code, entity);
  const table = slice.length
    ? `<table class="b24-table"><thead><tr>${cols.map((c) => `<th>${esc(c.label)}</th>`).join("")}</tr></thead><tbody>${slice
        .map((row) => `<tr data-id="${row.ID}">${cols.map((c) => `<td>${c.cell(row)}</td>`).join("")}</tr>`)
        .join("")}</tbody></table>`
    : `<p class="b24-empty">No ${PLURAL[code].toLowerCase()} yet.</p>`;
  const pager =
    pages > 1
      ? `<nav class="b24-pager">${Array.from({ length: pages }, (_, i) => i + 1)
          .map((n) =>
            n === page
              ? `<span class="b24-pager__page is-active">${n}</span>`
              : `<a class="b24-pager__page" href="/crm/${code}/list/?page=${n}">${n}</a>`,
          )
          .join("")}</nav>`
      : "";
  const toolbar = placementButtons(
    visiblePlacements(ctx.world, ctx.portal, ctx.user, `CRM_${code.toUpperCase()}_LIST_TOOLBAR`),
    {},
  );
  return renderPage(ctx, {
    title: PLURAL[code],
    active: "crm",
    actions: `${toolbar}${
      automatedEntity(code) && ctx.user.ADMIN
        ? `<a class="b24-btn" href="/crm/${code}/automation/0/" data-automation-link>Automation rules</a>`
        : ""
    }`,
    body: `${crmTabs(code)}${card(undefined, `<p class="b24-muted">${rows.length} total</p>${table}${pager}`)}`,
  });
}

/** Fields a person edits on the card: writable scalars (not multi-fields, not read-only or add-only). */
function editableFields(entity: CrmEntity): string[] {
  return Object.entries(entity.fields)
    .filter(([, spec]) => !spec.readOnly && !spec.immutable && !spec.multiple)
    .map(([key]) => key);
}

function scalar(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

function inputFor(ctx: PageContext, entity: CrmEntity, key: string, value: string): string {
  const spec = entity.fields[key];
  const name = `fields[${key}]`;
  const id = `field-${key}`;
  let control: string;
  if (spec?.type === "user") {
    control = `<select id="${id}" name="${esc(name)}">${switchableUsers(ctx.portal)
      .map(
        (u) =>
          `<option value="${u.ID}"${String(u.ID) === value ? " selected" : ""}>${esc(userName(u))}</option>`,
      )
      .join("")}</select>`;
  } else if (spec?.type === "char") {
    control = `<select id="${id}" name="${esc(name)}">${["Y", "N"]
      .map(
        (v) =>
          `<option value="${v}"${v === (value || "N") ? " selected" : ""}>${v === "Y" ? "Yes" : "No"}</option>`,
      )
      .join("")}</select>`;
  } else if (key === "COMMENTS") {
    control = `<textarea id="${id}" name="${esc(name)}" rows="3">${esc(value)}</textarea>`;
  } else {
    const hints = STAGE_HINTS[key];
    const list = hints ? ` list="hints-${key}"` : "";
    const type = spec?.type === "double" || spec?.type === "integer" ? ` inputmode="decimal"` : "";
    control = `<input id="${id}" name="${esc(name)}" value="${esc(value)}"${list}${type}>${
      hints
        ? `<datalist id="hints-${key}">${hints.map((h) => `<option value="${h}">`).join("")}</datalist>`
        : ""
    }`;
  }
  return `<label class="b24-form__row" for="${id}"><span class="b24-form__label">${esc(spec?.title ?? key)}</span>${control}</label>`;
}

function readOnlyRows(ctx: PageContext, entity: CrmEntity, row: Row): Array<[string, string]> {
  const view = legacyView(entity, row);
  const out: Array<[string, string]> = [];
  for (const [key, spec] of Object.entries(entity.fields)) {
    const value = view[key];
    if (spec.type === "crm_multifield") {
      const values = Array.isArray(value) ? value.map((m) => scalar((m as { VALUE?: unknown }).VALUE)) : [];
      if (values.length) out.push([spec.title, esc(values.join(", "))]);
      continue;
    }
    if (!spec.readOnly && key !== "ASSIGNED_BY_ID" && !spec.immutable) continue;
    const text = scalar(value);
    const rendered =
      spec.type === "user" ? userLink(ctx, row[key]) : key.startsWith("STAGE") ? stagePill(text) : esc(text);
    out.push([spec.title, rendered]);
  }
  return out;
}

/** `/crm/{code}/details/{id}/`: fields, the edit form, toolbar placements and detail tabs. */
export function crmDetailsPage(
  ctx: PageContext,
  code: LegacyCode,
  row: Row,
  message?: { kind: "success" | "error"; text: string },
  /** Frame sessions for the user fields' USERFIELD_TYPE frames (without them, app fields show as text). */
  sessions?: FrameSessions,
): string {
  const entity = legacyEntity(code);
  const upper = code.toUpperCase();
  const view = legacyView(entity, row);
  const uf = ufFormParts(ctx, sessions, code, row);
  // User-field frames bring forms of their own, so they sit after the <form>; the buttons name it.
  const form = `<div class="b24-form" data-entity-form><form id="entity-form" method="post" action="/crm/${code}/details/${row.ID}/">
${editableFields(entity)
  .map((key) => inputFor(ctx, entity, key, scalar(view[key])))
  .join("")}${uf.inside}
</form>${uf.outside}
<div class="b24-form__buttons"><button class="b24-btn b24-btn--primary" type="submit" form="entity-form">Save</button><a class="b24-btn b24-btn--link" href="/crm/${code}/details/${row.ID}/">Cancel</a></div>
</div>`;
  const records = [...readOnlyRows(ctx, entity, row), ...ufCardRows(ctx, sessions, code, row)];
  const general = `${message ? notice(message.kind, message.text) : ""}<div class="b24-grid">${card(
    `About the ${entity.typeName.toLowerCase()}`,
    form,
  )}${card("Record", `<div id="entity-fields">${fieldTable(records)}</div>`)}${automationTimeline(ctx, code, row.ID)}</div>`;
  const options = { ID: row.ID };
  const tabs = visiblePlacements(ctx.world, ctx.portal, ctx.user, `CRM_${upper}_DETAIL_TAB`);
  const toolbar = placementButtons(
    visiblePlacements(ctx.world, ctx.portal, ctx.user, `CRM_${upper}_DETAIL_TOOLBAR`),
    options,
  );
  const back = `<a class="b24-btn b24-btn--link" href="/crm/${code}/list/">← ${PLURAL[code]}</a>`;
  return renderPage(ctx, {
    title: recordName(entity, row),
    active: "crm",
    actions: `${toolbar}${back}`,
    body: `${crmTabs(code)}${tabStrip("General", general, tabs, options)}`,
  });
}

/** The record for a details page, or why it cannot be shown. */
export function loadRecord(
  ctx: PageContext,
  code: LegacyCode,
  id: number,
): { row: Row } | { status: 403 | 404; text: string } {
  const entity = legacyEntity(code);
  const row = ctx.portal.table(entity.table).get(id);
  if (!row) return { status: 404, text: `${entity.typeName} ${id} was not found.` };
  if (!canAccess(ctx.user, entity.entityTypeId, row))
    return { status: 403, text: `You do not have access to this ${entity.typeName.toLowerCase()}.` };
  return { row };
}

/**
 * Saves the edit form: only fields whose value changed are sent, through
 * crm.{code}.update as the UI user. Returns the REST error text on failure.
 */
export async function saveRecord(
  ctx: PageContext,
  executor: RestExecutor,
  code: LegacyCode,
  row: Row,
  submitted: Record<string, unknown>,
): Promise<{ ok: true; changed: string[] } | { ok: false; text: string }> {
  const entity = legacyEntity(code);
  const view = legacyView(entity, row);
  const changed: Record<string, unknown> = {};
  for (const key of editableFields(entity)) {
    if (!(key in submitted)) continue;
    const value = scalar(submitted[key]);
    if (value !== scalar(view[key])) changed[key] = value;
  }
  Object.assign(changed, ufChanges(ctx, code, row, submitted));
  const keys = Object.keys(changed);
  if (keys.length === 0) return { ok: true, changed: [] };
  const outcome = await executor.execute(ctx.portal, uiCaller(ctx.portal), `crm.${code}.update`, {
    id: String(row.ID),
    fields: changed,
  });
  if (!outcome.ok) return { ok: false, text: `${outcome.error.code}: ${outcome.error.description}` };
  return { ok: true, changed: keys };
}

/** What robots did on this record (deals and leads have automation). */
function automationTimeline(ctx: PageContext, code: LegacyCode, id: number): string {
  const entity = automatedEntity(code);
  return entity ? runsCard(ctx, entity, id) : "";
}
