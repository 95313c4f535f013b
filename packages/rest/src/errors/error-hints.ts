import { APP_CONTEXT_HINT, needsAppContext } from "./app-context.js";

/** Scopes the common method families need, to say which one is missing on insufficient_scope. */
const SCOPE_BY_PREFIX: Array<[string, string]> = [
  ["crm.", "crm"],
  ["tasks.", "task"],
  ["task.", "task"],
  ["user.", "user"],
  ["disk.", "disk"],
  ["imbot.", "imbot"],
  ["im.", "im"],
  ["placement.", "placement"],
  ["telephony.", "telephony"],
  ["voximplant.", "telephony"],
  ["entity.", "entity"],
  ["department.", "department"],
  ["calendar.", "calendar"],
  ["bizproc.", "bizproc"],
  ["lists.", "lists"],
];

export function scopeForMethod(method: string): string | undefined {
  const m = method.toLowerCase();
  return SCOPE_BY_PREFIX.find(([prefix]) => m.startsWith(prefix))?.[1];
}

/** One sentence telling the user what to do about an error. */
export function hintFor(code: string, description: string, method?: string): string {
  if (needsAppContext(code, description)) return APP_CONTEXT_HINT;
  switch (code) {
    case "BITRIX_REST_V3_EXCEPTION_INSUFFICIENTSCOPEEXCEPTION":
    case "insufficient_scope": {
      const scope = method ? scopeForMethod(method) : undefined;
      return scope
        ? `the app or webhook lacks the "${scope}" scope: add it to the app's scopes (or the webhook's) and reinstall`
        : "the app or webhook lacks the scope this method needs: add it and reinstall";
    }
    case "ACCESS_DENIED":
      return /commercial plans/i.test(description)
        ? "this portal's plan has no REST API (free plan): the portal needs a paid plan or a Market subscription"
        : "the user behind this call lacks the rights for it (admin-only method or CRM permissions)";
    case "BITRIX_REST_V3_EXCEPTION_IDEMPOTENCYKEYREUSEDEXCEPTION":
      return "this Idempotency-Key was used with another request: take a new key for a new call";
    case "BITRIX_REST_V3_EXCEPTION_INVALIDJSONEXCEPTION":
      return "REST 3.0 takes JSON bodies only";
    case "WRONG_LICENSE":
      return "the portal's plan does not include this feature";
    case "PAYMENT_REQUIRED":
      return "the app's paid period on this portal is over; no tokens are issued until it is paid";
    case "PORTAL_DELETED":
      return "the portal was deleted or closed; stop calling it and mark the tenant inactive";
    case "METHOD_CONFIRM_WAITING":
      return "a portal administrator must approve this method; the decision arrives as ONAPPMETHODCONFIRM";
    case "METHOD_CONFIRM_DENIED":
      return "a portal administrator refused this method for the app";
    case "expired_token":
      return "the access token expired; refresh it with the refresh token";
    case "invalid_token":
      return "the access token is unknown or revoked; refresh it, or reinstall the app if refreshing fails";
    case "NO_AUTH_FOUND":
      return "no valid credentials: check the webhook URL or pass an access token";
    case "invalid_grant":
      return "the refresh token is expired, used or revoked: the app must be opened or reinstalled on the portal to get new tokens";
    case "invalid_client":
      return "client_id/client_secret are wrong, or the app is not installed on this portal";
    case "QUERY_LIMIT_EXCEEDED":
      return "too many requests for this portal (leaky bucket); slow down or share one limiter between processes";
    case "OPERATION_TIME_LIMIT":
      return "this method used up its operating-time budget for the last 10 minutes; wait for operating_reset_at";
    case "LIMIT_WAIT_EXCEEDED":
      return "nothing was sent; try again after retryAfterMs (a background job: postpone it by that much)";
    case "ERROR_METHOD_NOT_FOUND":
      return "no such method on this portal: check the name, or the module may be switched off or missing from the plan";
    case "TIMEOUT":
      return "no answer in time; for writes, check whether the change happened before repeating it";
    case "CERTIFICATE_UNTRUSTED":
      return "trust the portal's CA: for the emulator, start Node with NODE_EXTRA_CA_CERTS=<its caFile> (the ready line's caFile, by default ~/.b24kit/ca/ca.pem)";
    case "INVALID_INSTALL_PAYLOAD":
      return "pass the install request's form body as the portal sent it: ONAPPINSTALL's (auth[access_token], …) or the installer page's (AUTH_ID, … with the request URL for DOMAIN)";
    case "NETWORK_ERROR":
      return "the portal could not be reached";
    case "ANSWER_TOO_LARGE":
      return "the answer is larger than maxAnswerBytes: select fewer fields or rows, or raise the limit";
    case "PORTAL_MOVED":
      return "the portal's address changed; calls go to the new address only once it is confirmed (see the README's domain moves)";
    case "REDIRECT_REFUSED":
      return "a redirect would have carried credentials to an address that must not get them; nothing was sent there";
    case "REFRESH_LOCK_TIMEOUT":
      return "another process held this portal's refresh lock too long; check that process, the call can be repeated";
    default:
      return "";
  }
}
