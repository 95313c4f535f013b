import { B24Error } from "../errors/b24-error.js";
import type { RestCall } from "./rest-call.js";

/**
 * The bound on a call's limit waits (`maxLimitWaitMs`): the operating-budget
 * wait, the bucket-slot wait and the pauses before re-sending limit refusals,
 * summed in `trace.waitedMs`. A caller that must not block on one portal (a
 * background worker) sets it and postpones its job by the error's
 * `retryAfterMs` instead.
 */
export function overLimitWait(call: RestCall, waitMs: number): boolean {
  return waitMs > 0 && call.trace.waitedMs + waitMs > call.maxLimitWaitMs;
}

/** The call is refused without waiting; `waitMs` is how long until it could go. */
export function limitWaitExceeded(call: RestCall, waitMs: number, what: string, cause?: unknown): B24Error {
  const waited = Math.round(call.trace.waitedMs);
  return new B24Error({
    code: "LIMIT_WAIT_EXCEEDED",
    status: 0,
    method: call.method,
    description: `${what} would take ${Math.ceil(waitMs)} ms more (waited ${waited} ms), over maxLimitWaitMs (${call.maxLimitWaitMs} ms)`,
    retryAfterMs: Math.ceil(waitMs),
    mayHaveReachedPortal: false,
    ...(cause !== undefined ? { cause } : {}),
  });
}
