import type { B24Error } from "../errors/b24-error.js";
import type { PortalState } from "./client-hooks.js";

/** The portal-level condition an error reveals, if any (see PortalState). */
export function portalStateOf(error: B24Error): PortalState | undefined {
  switch (error.code) {
    case "PORTAL_DELETED":
      return "deleted";
    case "PAYMENT_REQUIRED":
      return "payment_required";
    case "ERROR_METHOD_NOT_FOUND":
      return "method_missing";
    case "invalid_client":
    case "ERROR_OAUTH":
      return "app_not_installed";
    case "invalid_grant":
      return "tokens_revoked";
    case "PORTAL_MOVED":
      return "moved";
    case "ACCESS_DENIED":
      return /commercial plans/i.test(error.description) ? "no_rest" : undefined;
    default:
      return undefined;
  }
}
