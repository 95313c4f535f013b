import type { AuditEvent, ClientHooks, OAuthTokens } from "@b24kit/rest";
import type { AuditLog } from "./audit-log.js";

/** A fixed id, or one read per event (e.g. from the request's AsyncLocalStorage); a new one per event when neither. */
export type CorrelationSource = string | (() => string | undefined) | undefined;

function correlation(source: CorrelationSource): string | undefined {
  return typeof source === "function" ? source() : source;
}

/** The client hooks `auditHooks` returns. */
export type AuditHookSet = Required<Pick<ClientHooks, "onAudit" | "onRetry" | "onRateLimit" | "onRenewal">>;

/**
 * `@b24kit/rest` client hooks that write the tenant's audit log:
 * - `onAudit`: one `rest` row per call (batch and list pages included) with
 *   method, HTTP status, error code, duration, attempts, rate-limit wait,
 *   whether tokens were renewed, and the redacted parameters;
 * - `onRetry`: a `rest` row `retry <method>` per repeated attempt (code, delay);
 * - `onRateLimit`: a `rest` row `rate-limit <method>` when the portal refused
 *   for a limit or the client held the call back for the operating budget;
 * - `onRenewal`: an `oauth` row `refresh_token` when renewing the tokens after
 *   the portal rejected them failed. Successful refreshes are recorded by
 *   `auditRefresh` (oauthAuth's `onRefresh`), which also sees refreshes made
 *   because the token was past its expiry, so each refresh is one row.
 *
 * Spread into the client's options (`createB24Client({ auth, ...auditHooks(…) })`)
 * or merge with other hooks (`mergeClientHooks`). Hooks must not block a
 * call: each records without awaiting (call `auditLog.flush()` to wait).
 */
export function auditHooks(
  auditLog: AuditLog,
  memberId: string,
  correlationId?: CorrelationSource,
): AuditHookSet {
  return {
    onAudit(event: AuditEvent) {
      void auditLog.record(memberId, {
        kind: "rest",
        action: event.method,
        outcome: event.ok ? "ok" : "error",
        at: Date.parse(event.at),
        correlationId: correlation(correlationId),
        durationMs: event.durationMs,
        detail: {
          status: event.status,
          ...(event.code !== undefined ? { errorCode: event.code } : {}),
          attempts: event.attempts,
          waitedMs: event.waitedMs,
          renewed: event.renewed,
          ...(event.commands !== undefined ? { commands: event.commands } : {}),
          params: event.params,
        },
      });
    },
    onRetry(event) {
      void auditLog.record(memberId, {
        kind: "rest",
        action: `retry ${event.method}`,
        outcome: "error",
        correlationId: correlation(correlationId),
        detail: { attempt: event.attempt, errorCode: event.code, delayMs: event.delayMs, limit: event.limit },
      });
    },
    onRateLimit(event) {
      void auditLog.record(memberId, {
        kind: "rest",
        action: `rate-limit ${event.method}`,
        outcome: event.reason === "OPERATING_BUDGET" ? "ok" : "rejected",
        correlationId: correlation(correlationId),
        detail: { reason: event.reason, waitMs: event.waitMs },
      });
    },
    onRenewal(event) {
      if (event.ok) return;
      void auditLog.record(memberId, {
        kind: "oauth",
        action: "refresh_token",
        outcome: "error",
        correlationId: correlation(correlationId),
        detail: { trigger: event.code, method: event.method, errorCode: event.error?.code },
      });
    },
  };
}

/**
 * oauthAuth's `onRefresh` callback: one `oauth` row `refresh_token` per
 * successful refresh (after the store has the new pair). Only the expiry and
 * scope are kept; the tokens themselves never reach the row.
 */
export function auditRefresh(
  auditLog: AuditLog,
  memberId: string,
  correlationId?: CorrelationSource,
): (tokens: OAuthTokens) => void {
  return (tokens) => {
    void auditLog.record(memberId, {
      kind: "oauth",
      action: "refresh_token",
      outcome: "ok",
      correlationId: correlation(correlationId),
      detail: {
        expiresAt: new Date(tokens.expiresAt).toISOString(),
        ...(tokens.scope ? { scope: tokens.scope } : {}),
        ...(tokens.domain ? { domain: tokens.domain } : {}),
      },
    });
  };
}
