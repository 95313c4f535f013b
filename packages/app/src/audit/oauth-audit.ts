import type { AuditEntry } from "../storage/records.js";
import type { AuditLog } from "./audit-log.js";

export interface OAuthRecord {
  memberId: string | undefined;
  correlationId?: string | undefined;
  /** `authorization_code` (the OAuth redirect's exchange) or `refresh_token`. */
  grantType: "authorization_code" | "refresh_token";
  outcome: AuditEntry["outcome"];
  /** The OAuth server's `error` (`invalid_grant`, `invalid_client`, `PAYMENT_REQUIRED`, …) or ours. */
  errorCode?: string | undefined;
  durationMs?: number | undefined;
  /** More facts (scope granted, user id, the server's host); redacted like everything else. */
  detail?: Record<string, unknown> | undefined;
}

/**
 * Records one exchange with the OAuth server (docs/protocol.md §1.3–1.5). The
 * request carried client_secret and a code or refresh token and the answer
 * carried tokens; none of them is ever passed here, and if a caller passes
 * them in `detail` anyway, redaction removes them.
 */
export function recordOAuth(auditLog: AuditLog, input: OAuthRecord): Promise<void> {
  return auditLog.record(input.memberId, {
    kind: "oauth",
    action: input.grantType,
    outcome: input.outcome,
    correlationId: input.correlationId,
    durationMs: input.durationMs,
    detail: { ...(input.errorCode ? { errorCode: input.errorCode } : {}), ...input.detail },
  });
}
