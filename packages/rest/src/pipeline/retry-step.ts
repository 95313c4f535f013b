import { B24Error } from "../errors/b24-error.js";
import { type ClientHooks, notify } from "../hooks/client-hooks.js";
import { decideRetry, type RetryState } from "../retry/retry-decision.js";
import type { RetryOptions } from "../retry/retry-options.js";
import type { Clock } from "../time/clock.js";
import { limitWaitExceeded, overLimitWait } from "./limit-wait.js";
import type { RestCall, Step } from "./rest-call.js";

/**
 * Retry: sends the call again when `decideRetry` says so, after its delay on
 * the client's clock. The caller's abort ends the call at once, before or
 * after sending, with the caller's own reason. A pause before re-sending a
 * limit refusal counts towards the call's `maxLimitWaitMs`: past it the call
 * ends with LIMIT_WAIT_EXCEEDED (the refusal as its cause) instead.
 */
export function retryStep(
  options: RetryOptions,
  clock: Clock,
  hooks: Pick<ClientHooks, "onRetry">,
  /** How long the throttle step would hold the call now (a method blocked by OPERATION_TIME_LIMIT). */
  heldFor: (call: RestCall) => number = () => 0,
): Step {
  return (next) => async (call) => {
    const state: RetryState = { attempts: 0, limitRefusals: 0, firstRefusalAt: undefined };
    for (;;) {
      state.attempts += 1;
      call.trace.attempts = state.attempts;
      try {
        return await next(call);
      } catch (error) {
        if (call.signal?.aborted) throw call.signal.reason ?? error;
        const limit = error instanceof B24Error && error.kind === "limit";
        if (limit) {
          // A refusal is not an attempt: the call never ran.
          state.attempts -= 1;
          call.trace.attempts = state.attempts;
          state.limitRefusals += 1;
          state.firstRefusalAt ??= clock.now();
        }
        const decision = decideRetry(error, state, call.repeatable, options, clock.now());
        if (!decision.retry) throw error;
        if (decision.limit) {
          // The pause and the throttle's hold run together: the call goes after the longer of them.
          const waitMs = Math.max(decision.delayMs, heldFor(call));
          if (overLimitWait(call, waitMs))
            throw limitWaitExceeded(call, waitMs, `re-sending after ${(error as B24Error).code}`, error);
        }
        notify(hooks.onRetry, {
          portal: call.portal,
          method: call.method,
          attempt: Math.max(1, state.attempts),
          delayMs: decision.delayMs,
          code: (error as B24Error).code,
          limit: decision.limit,
        });
        await clock.sleep(decision.delayMs, call.signal);
        if (decision.limit) call.trace.waitedMs += decision.delayMs;
      }
    }
  };
}
