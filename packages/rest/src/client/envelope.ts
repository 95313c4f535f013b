import type { CallResult } from "../wire/call-result.js";

export type { CallResult } from "../wire/call-result.js";

export interface CallOptions {
  /**
   * Whether the call may be repeated after it may have reached the portal.
   * Defaults by method name: reads and state-setting writes yes, `*.add` and
   * other creating writes no.
   */
  repeatable?: boolean;
  signal?: AbortSignal;
  /**
   * The longest this call may wait because of limits (operating budget, bucket slot, pauses before
   * re-sending limit refusals, summed); past it the call fails at once with LIMIT_WAIT_EXCEEDED and
   * `retryAfterMs`. Overrides the client's `maxLimitWaitMs`; `Infinity` lifts it.
   */
  maxLimitWaitMs?: number;
}

/** The minimal surface batch, list and fastList need from the client. */
export interface MethodCaller {
  call<T = unknown>(
    method: string,
    params?: Record<string, unknown>,
    options?: CallOptions,
  ): Promise<CallResult<T>>;
  /** The per-method operating budget, when the caller keeps one (commands in a batch can exhaust it). */
  readonly operating?: { blocked(method: string, minMs?: number): number };
}
