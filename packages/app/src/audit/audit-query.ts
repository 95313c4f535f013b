import type { AppStore } from "../storage/app-store.js";
import type { AuditKind, AuditQuery, StoredAuditEntry } from "../storage/records.js";

export const AUDIT_KINDS: readonly AuditKind[] = [
  "rest",
  "inbound",
  "oauth",
  "lifecycle",
  "security",
  "event",
  "operator",
];
export const DEFAULT_AUDIT_LIMIT = 100;
export const MAX_AUDIT_LIMIT = 10_000;

export interface AuditLogQuery {
  /** One tenant's lines (its own store view); every tenant's (the admin view) when absent. */
  memberId?: string | undefined;
  /** Unix ms, inclusive. */
  since?: number | undefined;
  /** Unix ms, inclusive. */
  until?: number | undefined;
  kinds?: ReadonlyArray<AuditKind> | undefined;
  correlationId?: string | undefined;
  /** Only lines with exactly this action (a REST method such as `crm.deal.get`). */
  action?: string | undefined;
  /** Only lines whose detail carries this `errorCode` (exact case). */
  errorCode?: string | undefined;
  /** Newest first, at most this many (100 unless given, at most 10,000). */
  limit?: number | undefined;
}

/** Checks a query and puts it in the store's shape; throws a RangeError that says what is wrong. */
export function auditQuery(query: AuditLogQuery): AuditQuery {
  const limit = query.limit ?? DEFAULT_AUDIT_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_AUDIT_LIMIT) {
    throw new RangeError(`limit must be a whole number from 1 to ${MAX_AUDIT_LIMIT}, got ${query.limit}`);
  }
  for (const [name, value] of [
    ["since", query.since],
    ["until", query.until],
  ] as const) {
    if (value !== undefined && !Number.isFinite(value))
      throw new RangeError(`${name} must be a time, got ${value}`);
  }
  if (query.since !== undefined && query.until !== undefined && query.since > query.until) {
    throw new RangeError("since is after until: nothing can match");
  }
  const unknown = (query.kinds ?? []).filter((k) => !AUDIT_KINDS.includes(k));
  if (unknown.length > 0) {
    throw new RangeError(`unknown audit kind(s) ${unknown.join(", ")}; known: ${AUDIT_KINDS.join(", ")}`);
  }
  return {
    limit,
    ...(query.since !== undefined ? { since: query.since } : {}),
    ...(query.until !== undefined ? { until: query.until } : {}),
    ...(query.kinds && query.kinds.length > 0 ? { kinds: [...query.kinds] } : {}),
    ...(query.correlationId ? { correlationId: query.correlationId } : {}),
    ...(query.action ? { action: query.action } : {}),
    ...(query.errorCode ? { errorCode: query.errorCode } : {}),
  };
}

/**
 * Audit lines, newest first: through the tenant's own store view when a
 * member id is given (tenant first, as every store call), through the admin
 * view across tenants otherwise (operators: console, `b24kit logs`).
 */
export async function queryAuditLog(store: AppStore, query: AuditLogQuery = {}): Promise<StoredAuditEntry[]> {
  const filter = auditQuery(query);
  return query.memberId !== undefined
    ? store.tenant(query.memberId).audit.query(filter)
    : store.admin.audit(filter);
}
