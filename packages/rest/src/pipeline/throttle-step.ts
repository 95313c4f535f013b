import { B24Error } from "../errors/b24-error.js";
import { type ClientHooks, notify } from "../hooks/client-hooks.js";
import type { OperatingBudget } from "../limits/operating-budget.js";
import type { RateLimiter } from "../limits/rate-limiter.js";
import type { Clock } from "../time/clock.js";
import { limitWaitExceeded, overLimitWait } from "./limit-wait.js";
import type { RestCall, Step } from "./rest-call.js";

/** The methods a call spends operating time on: a batch's commands, or the method itself. */
export function methodsOf(call: Pick<RestCall, "method" | "params">): string[] {
  if (call.method.toLowerCase() !== "batch") return [call.method];
  const commands = Object.values((call.params.cmd as Record<string, unknown>) ?? {});
  // "batch" itself too: a portal that refuses the whole batch blocks it under that name.
  return ["batch", ...new Set(commands.map((c) => String(c).split("?")[0] ?? ""))];
}

/** How long the operating budget holds the call back: the wait of its most exhausted method. */
export function budgetWaitOf(operating: OperatingBudget, call: Pick<RestCall, "method" | "params">): number {
  return Math.max(0, ...methodsOf(call).map((m) => operating.waitFor(m)));
}

/**
 * Throttling, per HTTP request: waits for the operating budget of every
 * method the request runs, then for a slot in the portal's request bucket;
 * gives the slot back when the request never leaves; on a limit refusal
 * records what the portal said (bucket full, method blocked) and passes the
 * refusal on — whether and when to send again is the retry step's decision.
 * A wait that would pass the call's `maxLimitWaitMs` is not started: the
 * call fails at once with LIMIT_WAIT_EXCEEDED, its slot given back.
 */
export function throttleStep(
  limiter: RateLimiter | undefined,
  operating: OperatingBudget,
  clock: Clock,
  hooks: Pick<ClientHooks, "onRateLimit">,
): Step {
  return (next) => async (call) => {
    const budgetWait = budgetWaitOf(operating, call);
    if (overLimitWait(call, budgetWait))
      throw limitWaitExceeded(call, budgetWait, "the operating-time budget");
    if (budgetWait > 0) {
      notify(hooks.onRateLimit, {
        portal: call.portal,
        method: call.method,
        reason: "OPERATING_BUDGET",
        waitMs: budgetWait,
      });
      await clock.sleep(budgetWait, call.signal);
      call.trace.waitedMs += budgetWait;
    }
    const slot = limiter ? await limiter.reserve(call.portal) : undefined;
    try {
      // Given back below: a slot booked but never used would delay every later call of the portal.
      if (slot && overLimitWait(call, slot.waitMs))
        throw limitWaitExceeded(call, slot.waitMs, "a slot in the request bucket");
      if (slot && slot.waitMs > 0) {
        await clock.sleep(slot.waitMs, call.signal);
        call.trace.waitedMs += slot.waitMs;
      }
      call.signal?.throwIfAborted();
    } catch (refusal) {
      await slot?.release();
      throw refusal;
    }
    try {
      const result = await next(call);
      operating.recordAnswer(call.method, call.params, result);
      return result;
    } catch (error) {
      if (!(error instanceof B24Error)) throw error;
      if (error.kind === "transport" && !error.mayHaveReachedPortal) {
        // Refused connection, untrusted certificate: the portal never counted this request.
        await slot?.release();
      } else if (error.code === "QUERY_LIMIT_EXCEEDED") {
        await limiter?.exceeded(call.portal);
        notify(hooks.onRateLimit, {
          portal: call.portal,
          method: call.method,
          reason: "QUERY_LIMIT_EXCEEDED",
          waitMs: 0,
        });
      } else if (error.code === "OPERATION_TIME_LIMIT") {
        const waitMs = operating.blocked(call.method, 60_000);
        notify(hooks.onRateLimit, {
          portal: call.portal,
          method: call.method,
          reason: "OPERATION_TIME_LIMIT",
          waitMs,
        });
      }
      throw error;
    }
  };
}
