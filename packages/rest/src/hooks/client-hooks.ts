import type { AuditEvent } from "../audit/audit-event.js";
import type { B24Error } from "../errors/b24-error.js";

/** A call met a limit: the portal refused it, or the client held it back for the operating budget. */
export interface RateLimitEvent {
  portal: string;
  method: string;
  /** `QUERY_LIMIT_EXCEEDED` / `OPERATION_TIME_LIMIT` (the portal refused), or `OPERATING_BUDGET` (held back here). */
  reason: "QUERY_LIMIT_EXCEEDED" | "OPERATION_TIME_LIMIT" | "OPERATING_BUDGET";
  /** How long the client waits before the call goes (0 when the retry step decides it). */
  waitMs: number;
}

/** A failed attempt is about to be repeated. */
export interface RetryEvent {
  portal: string;
  method: string;
  /** The attempt that failed (1 = the first); limit refusals keep the attempt number. */
  attempt: number;
  delayMs: number;
  code: string;
  /** Whether the failure was a limit refusal (bounded by time, not attempts). */
  limit: boolean;
}

/** Credentials were renewed after the portal rejected them (`expired_token`, `invalid_token`). */
export interface RenewalEvent {
  portal: string;
  method: string;
  /** The portal's rejection that caused the renewal. */
  code: string;
  ok: boolean;
  /** The renewal's own failure, when it failed. */
  error?: B24Error;
}

/**
 * A condition of the whole portal (or of the app on it) that the runtime must
 * act on, not just this call's caller: stop calling a deleted portal, mark a
 * tenant unpaid, record that a method is missing on this plan or module set.
 */
export type PortalState =
  | "deleted" // PORTAL_DELETED
  | "payment_required" // PAYMENT_REQUIRED: the app's paid period is over
  | "no_rest" // ACCESS_DENIED "REST API is available only on commercial plans"
  | "method_missing" // ERROR_METHOD_NOT_FOUND: module off, plan without it, or no such method
  | "app_not_installed" // invalid_client / ERROR_OAUTH: the app is not installed there (any more)
  | "tokens_revoked" // invalid_grant: the refresh token is dead; the app must be opened or reinstalled
  | "moved"; // PORTAL_MOVED: the portal's address changed and could not be confirmed

export interface PortalStateEvent {
  /** The tenant key: member_id for OAuth and frame auth, the host for a webhook. */
  portal: string;
  state: PortalState;
  /** The method that met it. */
  method: string;
  code: string;
  error: B24Error;
}

/** Everything the client tells its owner about; each hook receives secret-free events. */
export interface ClientHooks {
  /** Every call's outcome, with secrets redacted. */
  onAudit?: (event: AuditEvent) => void;
  onRateLimit?: (event: RateLimitEvent) => void;
  onRetry?: (event: RetryEvent) => void;
  onRenewal?: (event: RenewalEvent) => void;
  onPortalState?: (event: PortalStateEvent) => void;
  /** The portal moved to another domain and the move was confirmed; later calls go there. */
  onDomainMoved?: (event: { from: string; to: string }) => void;
}

/** Calls a hook without letting its failure break the call it reports on. */
export function notify<E>(hook: ((event: E) => void) | undefined, event: E): void {
  if (!hook) return;
  try {
    hook(event);
  } catch {
    // A broken hook must not turn a successful call into a failed one.
  }
}
