import { B24Error } from "../errors/b24-error.js";
import { backoffMs, type RetryOptions } from "./retry-options.js";

/** What the retry step knows about a call so far. */
export interface RetryState {
  /** Attempts made, the failed one included (limit refusals excluded). */
  attempts: number;
  /** Limit refusals so far. */
  limitRefusals: number;
  /** Clock time of the first limit refusal. */
  firstRefusalAt: number | undefined;
}

export type RetryDecision =
  | { retry: false; reason: string }
  | { retry: true; delayMs: number; limit: boolean };

/**
 * The one place that decides whether a failed call is sent again, and after
 * how long. Limit refusals happen before anything runs, so they are always
 * safe to repeat: they are bounded by time (`limitWaitMs`), not attempts.
 * Other failures are repeated only when transient, within `maxAttempts`, and
 * only if the method cannot have run or is safe to run twice (`repeatable`).
 * `state` must already count the failure being decided on.
 */
export function decideRetry(
  error: unknown,
  state: RetryState,
  repeatable: boolean,
  options: RetryOptions,
  nowMs: number,
): RetryDecision {
  if (!(error instanceof B24Error)) return { retry: false, reason: "not a portal or transport failure" };
  // The caller's bound on limit waits is spent: it asked to be told, not to wait.
  if (error.code === "LIMIT_WAIT_EXCEEDED") return { retry: false, reason: "past the call's maxLimitWaitMs" };
  if (error.kind === "limit") {
    if (nowMs - (state.firstRefusalAt ?? nowMs) >= options.limitWaitMs)
      return { retry: false, reason: "refused by limits for longer than limitWaitMs" };
    // Never zero: whatever the limiter computes, a refusal is followed by a pause.
    const delayMs = Math.max(backoffMs(state.limitRefusals, options), error.retryAfterMs ?? 0);
    return { retry: true, delayMs, limit: true };
  }
  if (!error.retryable) return { retry: false, reason: "not transient" };
  if (state.attempts >= options.maxAttempts) return { retry: false, reason: "out of attempts" };
  if (error.mayHaveReachedPortal && !repeatable)
    return { retry: false, reason: "may have run and is not safe to repeat" };
  const delayMs = Math.max(backoffMs(state.attempts, options), error.retryAfterMs ?? 0);
  return { retry: true, delayMs, limit: false };
}
