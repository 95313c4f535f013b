import type { CallContext } from "../calls/method-def.js";
import { type Params, param } from "../calls/params.js";
import { Errors, RestError } from "../calls/rest-error.js";
import type { Installation } from "../state/portal.js";

/** Shared helpers of the event.* methods (docs/protocol.md §7). */

/** A scalar parameter as a trimmed string; "" when absent or not a scalar. */
export function str(params: Params, name: string): string {
  const v = param(params, name);
  if (typeof v === "string") return v.trim();
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return "";
}

/** A 0/1 (Y/N, true/false) flag; `fallback` when absent or empty. */
export function flag(params: Params, name: string, fallback: boolean): boolean {
  const v = param(params, name);
  if (v === undefined || v === null || v === "") return fallback;
  if (typeof v === "boolean") return v;
  if (typeof v === "number") return v !== 0;
  const s = String(v).trim().toLowerCase();
  if (["0", "n", "false", "no"].includes(s)) return false;
  if (["1", "y", "true", "yes"].includes(s)) return true;
  return fallback;
}

/** The calling app's installation; event methods need an app (the executor already refuses webhooks). */
export function appInstallation(ctx: CallContext): Installation {
  const clientId = ctx.caller.kind === "oauth" ? ctx.caller.clientId : undefined;
  const installation = clientId ? ctx.portal.installations.get(clientId) : undefined;
  if (!installation) throw Errors.wrongAuthType();
  return installation;
}

export const EventErrors = {
  eventNotFound: () => new RestError(400, "ERROR_EVENT_NOT_FOUND", "Event not found"),
  wrongHandlerUrl: () => new RestError(400, "ERROR_WRONG_HANDLER_URL", "Wrong handler URL"),
  unsupportedProtocol: () => new RestError(400, "ERROR_UNSUPPORTED_PROTOCOL", "Unsupported handler protocol"),
  alreadyBound: () => Errors.core("Unable to set event handler: Handler already binded"),
  wrongLicense: () => new RestError(403, "WRONG_LICENSE", "Wrong license"),
  /** A non-admin's offline or on-behalf-of binding (the error tables of event-bind.md / event-unbind.md). */
  adminOnly: (what: string) =>
    Errors.accessDenied(`Access denied! ${what} requires administrator access rights`),
};

/**
 * The portal's handler-URL check (core `HandlerHelper::checkCallback`): a host
 * with a dot not in first position, else ERROR_WRONG_HANDLER_URL; then the
 * scheme must be http or https (only https with `requireHttpsHandlers`).
 */
export function checkHandlerUrl(handler: string, requireHttps: boolean): void {
  let url: URL | undefined;
  try {
    url = new URL(handler);
  } catch {
    url = undefined;
  }
  const host = url?.hostname ?? "";
  if (!url || host.indexOf(".") <= 0) throw EventErrors.wrongHandlerUrl();
  const scheme = url.protocol.replace(/:$/, "");
  if (scheme !== "http" && scheme !== "https") throw EventErrors.unsupportedProtocol();
  if (requireHttps && scheme !== "https") throw EventErrors.unsupportedProtocol();
}
