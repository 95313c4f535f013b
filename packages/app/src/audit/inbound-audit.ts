import type { AuditEntry } from "../storage/records.js";
import type { AuditLog } from "./audit-log.js";

/** Which inbound surface a request came through. */
export type InboundSurface =
  | "install"
  | "app"
  | "placement"
  | "oauth-redirect"
  | "event"
  | "bot"
  | "session"
  | "health"
  | "console"
  | "other";

export interface InboundRecord {
  /** The tenant, once known (verified or at least on file); undefined: logged, not stored. */
  memberId: string | undefined;
  correlationId?: string | undefined;
  surface: InboundSurface;
  /** HTTP method. */
  method: string;
  /** The request URL, absolute or path with query; the query is redacted, the host dropped. */
  url: string;
  outcome: AuditEntry["outcome"];
  /** The status the app answered with. */
  status: number;
  durationMs?: number | undefined;
  /** The runtime's error code when rejected or failed (`AUTH_ID_REJECTED`, …). */
  errorCode?: string | undefined;
  /** `security` for what looks like an attack (a forged AUTH_ID, a foreign DOMAIN); `inbound` by default. */
  kind?: "inbound" | "security";
  /** More facts (placement code, event name, user id); redacted like everything else. */
  detail?: Record<string, unknown> | undefined;
}

function pathAndQuery(url: string): { path: string; pathWithQuery: string } {
  try {
    const parsed = new URL(url, "http://app.invalid");
    return { path: parsed.pathname, pathWithQuery: `${parsed.pathname}${parsed.search}` };
  } catch {
    const path = url.split("?")[0] ?? "";
    return { path, pathWithQuery: url };
  }
}

/**
 * Records one inbound request: install, app page, placement, OAuth redirect,
 * event, bot message. The action is `METHOD /path` (no query, so rows group
 * by route); the path with its query goes into the detail, redacted (an OAuth
 * redirect's `code`, `auth=`/`AUTH_ID=` parameters, webhook codes).
 */
export function recordInbound(auditLog: AuditLog, input: InboundRecord): Promise<void> {
  const { path, pathWithQuery } = pathAndQuery(input.url);
  return auditLog.record(input.memberId, {
    kind: input.kind ?? "inbound",
    action: `${input.method.toUpperCase()} ${path}`,
    outcome: input.outcome,
    correlationId: input.correlationId,
    durationMs: input.durationMs,
    detail: {
      surface: input.surface,
      status: input.status,
      url: pathWithQuery,
      ...(input.errorCode ? { errorCode: input.errorCode } : {}),
      ...input.detail,
    },
  });
}
