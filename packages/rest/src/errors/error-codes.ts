/** What went wrong, broadly; lets callers branch without knowing every portal code. */
export type B24ErrorKind =
  | "auth" // credentials missing, expired, revoked
  | "access" // scope, plan, rights, payment, confirmation
  | "limit" // QUERY_LIMIT_EXCEEDED, OPERATION_TIME_LIMIT
  | "not_found" // method or record
  | "invalid" // the call's parameters
  | "portal" // portal deleted, moved, overloaded, internal error
  | "transport" // network, timeout, unreadable answer
  | "usage"; // this library used in a way that cannot work

export interface CodeFacts {
  kind: B24ErrorKind;
  /** The same call may succeed if sent again later (the retry step still decides whether to). */
  transient?: boolean;
  /** The portal (or this client) refused before the method ran: nothing happened on the portal. */
  refusedBeforeRun?: boolean;
  /** Raised by this client, not by a portal or the OAuth server. */
  client?: true;
}

/**
 * Every error code this package knows, in one place: the portal's and the
 * OAuth server's (`bitrix24/b24restdocs`: `error-codes.md`, `limits.md`,
 * `settings/oauth/error-codes.md`; digest in `../shared/docs/protocol.md §1.5, §3.5)
 * and this client's own. Codes are never reused for another meaning.
 */
export const ERROR_CODES: Readonly<Record<string, CodeFacts>> = {
  // Portal: credentials (a 401 is answered before the method runs).
  expired_token: { kind: "auth", refusedBeforeRun: true },
  invalid_token: { kind: "auth", refusedBeforeRun: true },
  NO_AUTH_FOUND: { kind: "auth", refusedBeforeRun: true },
  // OAuth server.
  invalid_grant: { kind: "auth", refusedBeforeRun: true },
  invalid_client: { kind: "auth", refusedBeforeRun: true },
  invalid_request: { kind: "invalid", refusedBeforeRun: true },
  PAYMENT_REQUIRED: { kind: "access", refusedBeforeRun: true },
  // Portal: access.
  insufficient_scope: { kind: "access", refusedBeforeRun: true },
  ACCESS_DENIED: { kind: "access", refusedBeforeRun: true },
  INVALID_CREDENTIALS: { kind: "access", refusedBeforeRun: true },
  user_access_error: { kind: "access", refusedBeforeRun: true },
  WRONG_AUTH_TYPE: { kind: "access", refusedBeforeRun: true },
  WRONG_LICENSE: { kind: "access", refusedBeforeRun: true },
  METHOD_CONFIRM_WAITING: { kind: "access", refusedBeforeRun: true },
  METHOD_CONFIRM_DENIED: { kind: "access", refusedBeforeRun: true },
  allowed_only_intranet_user: { kind: "access", refusedBeforeRun: true },
  ERROR_OAUTH: { kind: "auth", refusedBeforeRun: true },
  // Portal: limits (refusals before execution, so always safe to send again).
  QUERY_LIMIT_EXCEEDED: { kind: "limit", transient: true, refusedBeforeRun: true },
  OPERATION_TIME_LIMIT: { kind: "limit", transient: true, refusedBeforeRun: true },
  // Portal: existence.
  ERROR_METHOD_NOT_FOUND: { kind: "not_found", refusedBeforeRun: true },
  NOT_FOUND: { kind: "not_found" },
  ERROR_NOT_FOUND: { kind: "not_found" },
  // Portal: the portal itself.
  PORTAL_DELETED: { kind: "portal", refusedBeforeRun: true },
  OVERLOAD_LIMIT: { kind: "portal", transient: true, refusedBeforeRun: true },
  INTERNAL_SERVER_ERROR: { kind: "portal", transient: true },
  ERROR_UNEXPECTED_ANSWER: { kind: "portal", transient: true },
  INVALID_REQUEST: { kind: "invalid", refusedBeforeRun: true },
  ERROR_BATCH_LENGTH_EXCEEDED: { kind: "invalid", refusedBeforeRun: true },
  ERROR_BATCH_METHOD_NOT_ALLOWED: { kind: "invalid", refusedBeforeRun: true },

  // REST 3.0 (api-reference/rest-v3.md): errors of the request itself, never transient.
  BITRIX_REST_V3_EXCEPTION_VALIDATION_REQUESTVALIDATIONEXCEPTION: { kind: "invalid", refusedBeforeRun: true },
  BITRIX_REST_V3_EXCEPTION_INVALIDJSONEXCEPTION: { kind: "invalid", refusedBeforeRun: true },
  BITRIX_REST_V3_EXCEPTION_UNKNOWNDTOPROPERTYEXCEPTION: { kind: "invalid", refusedBeforeRun: true },
  BITRIX_REST_V3_EXCEPTION_UNKNOWNFILTEROPERATOREXCEPTION: { kind: "invalid", refusedBeforeRun: true },
  BITRIX_REST_V3_EXCEPTION_ENTITYNOTFOUNDEXCEPTION: { kind: "not_found" },
  BITRIX_REST_V3_EXCEPTION_ACCESSDENIEDEXCEPTION: { kind: "access", refusedBeforeRun: true },
  BITRIX_REST_V3_EXCEPTION_INSUFFICIENTSCOPEEXCEPTION: { kind: "access", refusedBeforeRun: true },
  BITRIX_REST_V3_EXCEPTION_IDEMPOTENCYKEYREUSEDEXCEPTION: { kind: "invalid", refusedBeforeRun: true },
  BITRIX_REST_V3_EXCEPTION_INVALIDIDEMPOTENCYKEYEXCEPTION: { kind: "usage", refusedBeforeRun: true },

  // This client's own codes.
  /** The request failed on the way; `mayHaveReachedPortal` says whether it could have run. */
  NETWORK_ERROR: { kind: "transport", transient: true, client: true },
  /** The portal's TLS certificate is not trusted here: repeating cannot help, nothing was sent. */
  CERTIFICATE_UNTRUSTED: { kind: "transport", client: true },
  /** No answer within `timeoutMs`; the method may have run. */
  TIMEOUT: { kind: "transport", transient: true, client: true },
  /** An answer that is not a portal envelope (not JSON, cut short). */
  BAD_RESPONSE: { kind: "transport", client: true },
  /** An answer larger than `maxAnswerBytes`; reading stopped there. */
  ANSWER_TOO_LARGE: { kind: "transport", client: true },
  /** The portal answered with a redirect this client does not follow (an unverified domain move). */
  PORTAL_MOVED: { kind: "portal", refusedBeforeRun: true, client: true },
  /** A redirect that would send credentials where they must not go (https → http, token endpoint). */
  REDIRECT_REFUSED: { kind: "transport", refusedBeforeRun: true, client: true },
  /** The token store kept changing under a save. */
  TOKEN_STORE_CONFLICT: { kind: "usage", refusedBeforeRun: true, client: true },
  /** Waited too long for another process's token refresh. */
  REFRESH_LOCK_TIMEOUT: { kind: "auth", transient: true, refusedBeforeRun: true, client: true },
  INVALID_WEBHOOK_URL: { kind: "usage", refusedBeforeRun: true, client: true },
  /** tokensFromInstall got something that is not an install POST (no tokens, a field missing). */
  INVALID_INSTALL_PAYLOAD: { kind: "usage", refusedBeforeRun: true, client: true },
  /** createB24Client got options it cannot work with (a wrong type, a bucket store passed as limits). */
  INVALID_CLIENT_OPTIONS: { kind: "usage", refusedBeforeRun: true, client: true },
  FASTLIST_USAGE: { kind: "usage", refusedBeforeRun: true, client: true },
  /** Waiting for this portal's limits would take the call past `maxLimitWaitMs`; nothing was sent. */
  LIMIT_WAIT_EXCEEDED: { kind: "limit", transient: true, refusedBeforeRun: true, client: true },
  /** The batch request carrying a command failed as a whole (set on each of its commands). */
  BATCH_REQUEST_FAILED: { kind: "transport", client: true },
};

/** Facts about a code; unknown codes are classified by HTTP status. */
export function factsFor(code: string, status: number): CodeFacts {
  const known = ERROR_CODES[code];
  if (known) return known;
  if (status === 401) return { kind: "auth", refusedBeforeRun: true };
  if (status === 403) return { kind: "access", refusedBeforeRun: true };
  if (status === 404) return { kind: "not_found" };
  if (status >= 500) return { kind: "portal", transient: true };
  return { kind: "invalid" };
}
