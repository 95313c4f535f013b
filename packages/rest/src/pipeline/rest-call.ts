import type { AuthContext } from "../auth/auth-strategy.js";
import type { CallResult } from "../wire/call-result.js";

/** One call as it travels through the pipeline (observe → retry → gate → auth → throttle → transport). */
export interface RestCall {
  readonly method: string;
  readonly params: Record<string, unknown>;
  /** Safe to send again after it may have reached the portal (see repeat-safety.ts). */
  readonly repeatable: boolean;
  readonly signal: AbortSignal | undefined;
  /** The tenant key limits, locks and hooks are keyed by (member_id, or a webhook's host). */
  readonly portal: string;
  /** The classic endpoint (`/rest/…`) or REST 3.0 (`/rest/api/…`). */
  readonly api: "classic" | "v3";
  /** Extra request headers (REST 3.0's Idempotency-Key). */
  readonly headers: Readonly<Record<string, string>>;
  /** The longest the call may wait because of limits, in all (`Infinity`: no bound); see limit-wait.ts. */
  readonly maxLimitWaitMs: number;
  /** Where the next request goes and as whom; the auth step sets it before each request. */
  endpoint: AuthContext | undefined;
  /** What happened so far, for the audit event and the hooks. */
  readonly trace: CallTrace;
}

export interface CallTrace {
  /** Attempts made by the retry step (limit refusals not counted). */
  attempts: number;
  /** Credentials renewed after a rejection. */
  renewals: number;
  /** Milliseconds spent waiting for the bucket, the operating budget and limit backoff. */
  waitedMs: number;
  /** HTTP status of the last answer (0 when none came). */
  status: number;
}

/** Sends a call on: resolves with the portal's success envelope, rejects with a B24Error (or the caller's abort reason). */
export type Send = (call: RestCall) => Promise<CallResult<unknown>>;

/** A pipeline step: wraps the rest of the pipeline, as an Octokit plugin wraps its request hook. */
export type Step = (next: Send) => Send;

/** Builds the pipeline: the first step is the outermost, `last` sends the request. */
export function compose(steps: Step[], last: Send): Send {
  return steps.reduceRight<Send>((next, step) => step(next), last);
}

export function newCall(
  init: Omit<RestCall, "endpoint" | "trace" | "api" | "headers" | "maxLimitWaitMs"> &
    Partial<Pick<RestCall, "api" | "headers" | "maxLimitWaitMs">>,
): RestCall {
  return {
    api: "classic",
    headers: {},
    maxLimitWaitMs: Number.POSITIVE_INFINITY,
    ...init,
    endpoint: undefined,
    trace: { attempts: 0, renewals: 0, waitedMs: 0, status: 0 },
  };
}
