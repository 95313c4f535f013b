import { B24Error } from "../errors/b24-error.js";
import { type ClientHooks, notify } from "../hooks/client-hooks.js";
import { portalStateOf } from "../hooks/portal-state.js";
import { redact } from "../security/redact.js";
import type { Clock } from "../time/clock.js";
import type { RestCall, Step } from "./rest-call.js";

/** Reports a failure that concerns the whole portal (see PortalState). */
export function reportPortalState(
  hooks: Pick<ClientHooks, "onPortalState">,
  portal: string,
  method: string,
  error: B24Error,
): void {
  const state = portalStateOf(error);
  if (state) notify(hooks.onPortalState, { portal, state, method, code: error.code, error });
}

/** The outermost step: one audit event per call, and the portal-level conditions it met. */
export function observeStep(clock: Clock, hooks: Pick<ClientHooks, "onAudit" | "onPortalState">): Step {
  return (next) => async (call) => {
    const at = new Date().toISOString();
    const started = clock.now();
    const audit = (call: RestCall, ok: boolean, code?: string) => {
      if (!hooks.onAudit) return;
      const cmd = call.method === "batch" ? (call.params.cmd as object | undefined) : undefined;
      notify(hooks.onAudit, {
        at,
        portal: call.portal,
        method: call.method,
        ok,
        status: call.trace.status,
        ...(code !== undefined ? { code } : {}),
        durationMs: Math.round(clock.now() - started),
        attempts: call.trace.attempts,
        waitedMs: Math.round(call.trace.waitedMs),
        renewed: call.trace.renewals > 0,
        params: redact(call.params),
        ...(cmd !== undefined ? { commands: Object.keys(cmd).length } : {}),
      });
    };
    try {
      const result = await next(call);
      audit(call, true);
      return result;
    } catch (error) {
      if (error instanceof B24Error) {
        audit(call, false, error.code);
        reportPortalState(hooks, call.portal, call.method, error);
      } else {
        audit(call, false, (error as Error)?.name ?? "Error");
      }
      throw error;
    }
  };
}
