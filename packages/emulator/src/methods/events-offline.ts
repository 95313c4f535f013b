import { filterRows, pageRows } from "../calls/list-query.js";
import type { CallContext, MethodDef, MethodOutput } from "../calls/method-def.js";
import { asArray, asInt, asRecord, param } from "../calls/params.js";
import { Errors } from "../calls/rest-error.js";
import { hex } from "../ids.js";
import { isoWithOffset } from "../portal-time.js";
import type { OfflineRow } from "../state/event-ports.js";
import type { Row } from "../state/table.js";
import { appInstallation, EventErrors, flag, str } from "./event-params.js";

/*
 * event.offline.get / .clear / .error / .list (docs/protocol.md §7.6): admin only,
 * app context only. Each app has one queue per `auth_connector` (the one
 * without a connector when the parameter is absent). `get` hands out rows no
 * other process holds, so parallel callers get disjoint sets; `clear=0`
 * reserves them under a new `process_id` (needs `rest_offline_extended`).
 */

const DEFAULT_LIMIT = 50;

/** A row as event.offline.get hands it out (api-reference/events/event-offline-get.md's example). */
function getView(row: OfflineRow): Record<string, unknown> {
  return {
    ID: String(row.id),
    TIMESTAMP_X: isoWithOffset(row.timestampMs),
    EVENT_NAME: row.eventName,
    EVENT_DATA: row.eventData ?? false,
    EVENT_ADDITIONAL: false,
    MESSAGE_ID: row.messageId,
  };
}

/** A row as event.offline.list shows it: with its reservation and error mark (event-offline-list.md). */
function listView(row: OfflineRow): Record<string, unknown> {
  return { ...getView(row), PROCESS_ID: row.processId, ERROR: row.error ? "1" : "0" };
}

/** What `filter` sees: the documented fields, ID numeric for `>ID` paging. */
function filterView(row: OfflineRow): Row {
  return {
    ID: row.id,
    TIMESTAMP_X: isoWithOffset(row.timestampMs),
    EVENT_NAME: row.eventName,
    MESSAGE_ID: row.messageId,
    PROCESS_ID: row.processId,
    ERROR: row.error ? "1" : "0",
  };
}

function queueOf(ctx: CallContext): { rows: OfflineRow[]; clientId: string; connector: string } {
  const installation = appInstallation(ctx);
  const connector = str(ctx.params, "auth_connector");
  return {
    rows: ctx.world.offlineEvents.rows(ctx.portal.memberId, installation.clientId, connector),
    clientId: installation.clientId,
    connector,
  };
}

function filtered(rows: OfflineRow[], filter: unknown): OfflineRow[] {
  const byId = new Map(rows.map((r) => [r.id, r]));
  return filterRows(rows.map(filterView), filter).map((v) => byId.get(v.ID)!);
}

/** `order` ({FIELD: ASC|DESC}), TIMESTAMP_X by its exact time, ID ascending as the tie-breaker. */
function ordered(rows: OfflineRow[], order: unknown, fallback: Record<string, string>): OfflineRow[] {
  const given = Object.entries(asRecord(order));
  const keys = (given.length ? given : Object.entries(fallback)).map(([k, dir]) => ({
    field: k.toUpperCase(),
    sign: String(dir).toUpperCase() === "DESC" ? -1 : 1,
  }));
  const value = (r: OfflineRow, field: string): number | string => {
    if (field === "ID") return r.id;
    if (field === "TIMESTAMP_X") return r.timestampMs;
    return String(filterView(r)[field] ?? "");
  };
  return [...rows].sort((a, b) => {
    for (const k of keys) {
      const x = value(a, k.field);
      const y = value(b, k.field);
      if (x !== y) return (x < y ? -1 : 1) * k.sign;
    }
    return a.id - b.id;
  });
}

function processIdArg(ctx: CallContext): string {
  const processId = str(ctx.params, "process_id");
  if (!processId) throw Errors.argument("PROCESS_ID");
  return processId;
}

function offlineGet(ctx: CallContext): MethodOutput {
  const { rows, clientId, connector } = queueOf(ctx);
  const clear = flag(ctx.params, "clear", true);
  const withErrors = flag(ctx.params, "error", false);
  const requested = asInt(param(ctx.params, "limit"));
  const limit = requested !== undefined && requested > 0 ? requested : DEFAULT_LIMIT;
  const given = str(ctx.params, "process_id");
  if (!clear && !ctx.portal.feature("rest_offline_extended")) throw EventErrors.wrongLicense();

  // A given process re-reads its own reservation; otherwise only rows nobody holds are eligible.
  const eligible = rows.filter((r) => r.processId === given && (withErrors || !r.error));
  const picked = ordered(filtered(eligible, param(ctx.params, "filter")), param(ctx.params, "order"), {
    TIMESTAMP_X: "ASC",
  }).slice(0, limit);

  let processId: string | null = given || hex(16);
  if (!clear && !given) {
    const now = ctx.world.clock.nowMs();
    for (const r of picked) {
      r.processId = processId;
      r.reservedAtMs = now;
    }
  }
  const events = picked.map(getView);
  if (clear) {
    ctx.world.offlineEvents.remove(ctx.portal.memberId, clientId, connector, new Set(picked));
    processId = null;
  }
  return { result: { process_id: processId, events }, rows: picked.length };
}

function offlineClear(ctx: CallContext): { result: true } {
  const { rows, clientId, connector } = queueOf(ctx);
  const processId = processIdArg(ctx);
  const ids = new Set(asArray(param(ctx.params, "id")).map((v) => asInt(v)));
  const messageIds = new Set(asArray(param(ctx.params, "message_id")).map(String));
  // `message_id` is ignored when `id` is given (api-reference/events/event-offline-clear.md).
  const doomed = rows.filter(
    (r) =>
      r.processId === processId &&
      (ids.size > 0 ? ids.has(r.id) : messageIds.size === 0 || messageIds.has(r.messageId)),
  );
  ctx.world.offlineEvents.remove(ctx.portal.memberId, clientId, connector, new Set(doomed));
  return { result: true };
}

/** Marks rows of a process erroneous and gives them back: `get` with `error=1` hands them out again. */
function offlineError(ctx: CallContext): { result: true } {
  const { rows } = queueOf(ctx);
  const processId = processIdArg(ctx);
  const messageIds = new Set(asArray(param(ctx.params, "message_id")).map(String));
  if (messageIds.size === 0) throw Errors.argument("MESSAGE_ID");
  for (const r of rows) {
    if (r.processId !== processId || !messageIds.has(r.messageId)) continue;
    r.error = true;
    r.processId = "";
    r.reservedAtMs = undefined;
  }
  return { result: true };
}

/** Read-only view of the whole queue, reserved and erroneous rows included; pages of 50 with total. */
function offlineList(ctx: CallContext): MethodOutput {
  const { rows } = queueOf(ctx);
  const byId = new Map(rows.map((r) => [r.id, r]));
  return pageRows(
    rows.map(filterView),
    {
      filter: param(ctx.params, "filter"),
      order: param(ctx.params, "order"),
      start: param(ctx.params, "start"),
    },
    (v) => listView(byId.get(v.ID)!),
  );
}

export const offlineEventMethods: MethodDef[] = [
  { name: "event.offline.get", scope: "basic", appOnly: true, adminOnly: true, run: offlineGet },
  { name: "event.offline.clear", scope: "basic", appOnly: true, adminOnly: true, run: offlineClear },
  { name: "event.offline.error", scope: "basic", appOnly: true, adminOnly: true, run: offlineError },
  { name: "event.offline.list", scope: "basic", appOnly: true, adminOnly: true, run: offlineList },
];
