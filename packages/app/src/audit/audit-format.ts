import { redactSecrets } from "../logging/secret-redaction.js";
import type { StoredAuditEntry } from "../storage/records.js";

const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/**
 * A time bound as people type it: a duration back from `now` (`90s`, `15m`,
 * `1h`, `7d`, `2w`) or an ISO date/time (`2026-11-30`, `2026-11-30T08:00:00Z`).
 * Resolves unix ms; throws with an example of what works.
 */
export function parseTimeBound(text: string, now: number): number {
  const trimmed = text.trim();
  const relative = /^(\d+(?:\.\d+)?)\s*([smhdw])$/i.exec(trimmed);
  if (relative) return now - Number(relative[1]) * (UNIT_MS[relative[2]!.toLowerCase()] ?? 0);
  if (/^\d{4}-\d{2}-\d{2}/.test(trimmed)) {
    const at = Date.parse(trimmed);
    if (Number.isFinite(at)) return at;
  }
  throw new RangeError(`"${text}" is not a time: use a duration back from now (30m, 1h, 7d) or an ISO time`);
}

/** Control characters (terminal escapes, newlines) out of anything printed: details can hold what outsiders sent. */
function printable(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, " ");
}

function clip(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, width - 1)}…` : text;
}

function scalar(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** The few facts worth a glance, by kind: status, error code, retries, waits, surface. */
export function shortDetail(entry: StoredAuditEntry): string {
  const d = entry.detail ?? {};
  const parts: string[] = [];
  const add = (label: string, value: unknown) => {
    if (value !== undefined && value !== null && value !== "") parts.push(`${label}=${scalar(value)}`);
  };
  add("status", d.status);
  add("error", d.errorCode);
  if (typeof d.attempts === "number" && d.attempts > 1) add("attempts", d.attempts);
  if (typeof d.waitedMs === "number" && d.waitedMs > 0) add("waited", `${d.waitedMs}ms`);
  if (d.renewed === true) add("renewed", true);
  add("surface", d.surface);
  add("reason", d.reason);
  add("trigger", d.trigger);
  if (parts.length === 0) {
    for (const [k, v] of Object.entries(d).slice(0, 3)) add(k, v);
  }
  return parts.join(" ");
}

const COLUMNS = ["TIME", "MEMBER", "KIND", "ACTION", "OUTCOME", "DURATION", "DETAIL", "CORRELATION"] as const;
const WIDTHS: Record<(typeof COLUMNS)[number], number> = {
  TIME: 24,
  MEMBER: 32,
  KIND: 9,
  ACTION: 40,
  OUTCOME: 8,
  DURATION: 9,
  DETAIL: 60,
  CORRELATION: 128,
};

/**
 * Audit lines as a table for a terminal: time (UTC), kind, action, outcome,
 * duration, a short detail and the correlation id (pass it to
 * `--correlation-id` to see everything one request caused). `withMember`
 * adds the tenant column (the view across tenants).
 */
export function formatAuditTable(
  entries: readonly StoredAuditEntry[],
  options: { withMember?: boolean } = {},
): string {
  const columns = COLUMNS.filter((c) => c !== "MEMBER" || options.withMember);
  const rows = entries.map((entry) => {
    const e = reprinted(entry);
    const cells: Record<(typeof COLUMNS)[number], string> = {
      TIME: new Date(e.at).toISOString().replace("T", " "),
      MEMBER: e.memberId,
      KIND: e.kind,
      ACTION: e.action,
      OUTCOME: e.outcome,
      DURATION: e.durationMs !== undefined ? `${e.durationMs} ms` : "",
      DETAIL: shortDetail(e),
      CORRELATION: e.correlationId,
    };
    return columns.map((c) => clip(printable(cells[c]), WIDTHS[c]));
  });
  const widths = columns.map((c, i) => Math.max(c.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  return [line(columns), ...rows.map(line)].join("\n");
}

/** One audit line as a JSON object on one line (`--json`): what scripts and `jq` read. */
export function auditJsonLine(entry: StoredAuditEntry): string {
  return JSON.stringify({ ...reprinted(entry), time: new Date(entry.at).toISOString() });
}

/**
 * Rows are redacted when written; printing redacts once more, so a row some
 * other writer put straight into the table still shows no secret.
 */
function reprinted(entry: StoredAuditEntry): StoredAuditEntry {
  return {
    ...entry,
    action: redactSecrets(entry.action) as string,
    ...(entry.detail ? { detail: redactSecrets(entry.detail) as Record<string, unknown> } : {}),
  };
}
